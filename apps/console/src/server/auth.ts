import bcrypt from "bcryptjs";
import { type NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { type OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";
import {
  accountKey,
  addressKey,
  appendAuditEvent,
  clearAccountFailures,
  clientAddressOf,
  recordSignInFailure,
  signInBlock,
  tooManyAttemptsCode,
} from "@meridian/api";
import { env, getPrisma } from "@meridian/db";
import { isRole, type TRole } from "@meridian/policy";

/**
 * next-auth (v4) configuration: email + password against the `User` table, and an optional
 * OpenID Connect provider when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set.
 * Sessions are JWTs carrying the user's id, name, email, roles, the user's `session_version`,
 * the sign-in time and the last request time; every request checks them against the user row
 * and the idle and absolute limits (session.ts), so disabling a user or changing roles applies
 * at the next request. Failed password sign-ins are throttled per account and per client
 * address (services/auth/sign-in-throttle in @meridian/api).
 *
 * Built lazily: `next build` imports this module without any secret in the environment.
 */

export const OIDC_PROVIDER_ID = "oidc";

const ZCredentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(1024),
});

function rolesOf(values: readonly string[]): TRole[] {
  return values.filter(isRole);
}

export function isOidcEnabled(): boolean {
  const e = env();
  return Boolean(e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET);
}

function oidcProvider(): OAuthConfig<{ sub: string; email?: string; name?: string; preferred_username?: string }> | null {
  const e = env();
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET) return null;
  return {
    id: OIDC_PROVIDER_ID,
    name: "Single sign-on",
    type: "oauth",
    wellKnown: `${e.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(profile) {
      return {
        id: profile.sub,
        email: profile.email?.toLowerCase() ?? null,
        name: profile.name ?? profile.preferred_username ?? profile.email ?? profile.sub,
      };
    },
  };
}

let cached: NextAuthOptions | undefined;

export function getAuthOptions(): NextAuthOptions {
  if (cached) return cached;
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) {
    throw new Error(
      "NEXTAUTH_SECRET is not set. Start Meridian with `pnpm start` (it generates one), " +
        "or export NEXTAUTH_SECRET=<at least 32 random characters> before `next start`/`next dev`.",
    );
  }

  const credentials = CredentialsProvider({
    id: "credentials",
    name: "Email and password",
    credentials: {
      email: { label: "Email", type: "email" },
      password: { label: "Password", type: "password" },
    },
    async authorize(raw, req) {
      const parsed = ZCredentialsSchema.safeParse(raw);
      if (!parsed.success) return null;
      const prisma = getPrisma();
      const address = clientAddressOf(req?.headers);
      // Blocked account or address: refused before the password is even compared.
      const block = await signInBlock(prisma, [accountKey(parsed.data.email), addressKey(address)]);
      if (block.blocked) throw new Error(tooManyAttemptsCode(block.retryAfterSeconds));
      const user = await prisma.user.findUnique({
        where: { email: parsed.data.email },
        select: { id: true, email: true, name: true, roles: true, disabled: true, passwordHash: true, sessionVersion: true },
      });
      // Compare against a dummy hash when the user is unknown, so timing does not tell.
      const hash = user?.passwordHash ?? "$2b$10$Ja4TQ5/cHDoH10p8.9CqseDOG/Caj0e0mBXepnOxdwrfKYH400oki";
      const ok = await bcrypt.compare(parsed.data.password, hash);
      // Successful sign-ins are on the audit trail; failures in aggregate (recordSignInFailure).
      const audit = (action: string, reason?: string) =>
        appendAuditEvent(prisma, {
          actor: { id: user?.id ?? null, email: parsed.data.email },
          action,
          targetType: "user",
          targetId: user?.id ?? null,
          after: { provider: "credentials", ...(reason ? { reason } : {}) },
        });
      if (!user || !user.passwordHash || !ok) {
        const failure = await recordSignInFailure(prisma, {
          email: parsed.data.email,
          address,
          userId: user?.id ?? null,
          reason: user ? "wrong password" : "unknown email",
        });
        if (failure.block.blocked) throw new Error(tooManyAttemptsCode(failure.block.retryAfterSeconds));
        return null;
      }
      // Only someone who knows the password learns that the account is disabled.
      if (user.disabled) {
        await audit("auth.signInFailed", "account disabled");
        throw new Error("AccountDisabled");
      }
      await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
      await clearAccountFailures(prisma, parsed.data.email);
      await audit("auth.signIn");
      return { id: user.id, email: user.email, name: user.name, roles: rolesOf(user.roles), sessionVersion: user.sessionVersion };
    },
  });

  const oidc = oidcProvider();

  cached = {
    secret,
    // The token expires after the idle timeout unless a request refreshes it (proxy.ts); the
    // absolute lifetime is checked against `authTime` (session.ts).
    session: { strategy: "jwt", maxAge: env().MERIDIAN_SESSION_IDLE_MINUTES * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: oidc ? [credentials, oidc] : [credentials],
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        // OIDC: map to a Meridian user by email; create it with the default role if absent.
        const email = user.email?.toLowerCase();
        if (!email) return `/signin?error=OidcNoEmail`;
        const prisma = getPrisma();
        const existing = await prisma.user.findUnique({ where: { email }, select: { id: true, disabled: true } });
        const audit = (action: string, reason?: string) =>
          appendAuditEvent(prisma, {
            actor: { id: existing?.id ?? null, email },
            action,
            targetType: "user",
            targetId: existing?.id ?? null,
            after: { provider: OIDC_PROVIDER_ID, ...(reason ? { reason } : {}) },
          });
        if (existing?.disabled) {
          await audit("auth.signInFailed", "account disabled");
          return `/signin?error=AccountDisabled`;
        }
        await audit("auth.signIn", existing ? undefined : "first sign-in: user created");
        if (existing) {
          await prisma.user.update({ where: { email }, data: { lastLoginAt: new Date() } });
        } else {
          await prisma.user.create({
            data: {
              email,
              name: user.name ?? email,
              roles: [env().OIDC_DEFAULT_ROLE],
              passwordHash: null,
              lastLoginAt: new Date(),
            },
          });
        }
        return true;
      },
      async jwt({ token, user, account }) {
        if (user && account?.provider === OIDC_PROVIDER_ID && user.email) {
          // The provider's subject is not our id: carry the Meridian user's id and roles.
          const row = await getPrisma().user.findUnique({
            where: { email: user.email.toLowerCase() },
            select: { id: true, name: true, email: true, roles: true, sessionVersion: true },
          });
          if (row) {
            token.uid = row.id;
            token.name = row.name;
            token.email = row.email;
            token.roles = rolesOf(row.roles);
            token.sv = row.sessionVersion;
          }
        } else if (user) {
          token.uid = user.id;
          token.name = user.name;
          token.email = user.email;
          token.roles = user.roles ?? [];
          token.sv = user.sessionVersion ?? 0;
        }
        if (user) {
          const now = Date.now();
          token.authTime = now;
          token.lastSeen = now;
        }
        return token;
      },
      session({ session, token }) {
        session.user = {
          id: token.uid ?? "",
          name: token.name ?? "",
          email: token.email ?? "",
          roles: token.roles ?? [],
        };
        session.claims = { sessionVersion: token.sv ?? -1, authTime: token.authTime ?? 0, lastSeen: token.lastSeen ?? 0 };
        return session;
      },
      redirect({ url, baseUrl }) {
        // Only ever redirect within the console.
        if (url.startsWith("/")) return `${baseUrl}${url}`;
        try {
          if (new URL(url).origin === baseUrl) return url;
        } catch {
          // fall through
        }
        return baseUrl;
      },
    },
  };
  return cached;
}
