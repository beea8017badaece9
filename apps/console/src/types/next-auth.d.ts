import type { DefaultSession } from "next-auth";
import type { TRole } from "@meridian/policy";

declare module "next-auth" {
  interface Session {
    user: { id: string; name: string; email: string; roles: TRole[] } & Omit<DefaultSession["user"], "name" | "email">;
    /** What the per-request session check needs (session.ts): see the JWT fields below. */
    claims?: { sessionVersion: number; authTime: number; lastSeen: number };
  }
  interface User {
    roles?: TRole[];
    sessionVersion?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    roles?: TRole[];
    /** `app_user.session_version` at sign-in: a different value in the row revokes the session. */
    sv?: number;
    /** Sign-in time (ms): the absolute lifetime counts from here. */
    authTime?: number;
    /** Last request (ms), refreshed by proxy.ts: the idle timeout counts from here. */
    lastSeen?: number;
  }
}
