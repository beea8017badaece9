import { initTRPC, TRPCError } from "@trpc/server";
import { type OpenApiMeta } from "trpc-to-openapi";
import superjson from "superjson";
import { z } from "zod";
import { can, type TPermission } from "@meridian/policy";
import { AppError, toTRPCError } from "./errors";
import { type TContext } from "./context";

/**
 * Procedure metadata. Every procedure must declare either `permission` (checked against the
 * permission table in @meridian/policy) or `public: true`. A procedure that declares neither
 * is refused at run time (default deny) and fails the router-walk test. Procedures of the team
 * API also carry `openapi` (method and path under /api/v1).
 */
export type TMeta = OpenApiMeta<{
  permission?: TPermission;
  public?: true;
}>;

const t = initTRPC
  .context<TContext>()
  .meta<TMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      let fieldErrors: Record<string, string[]> | null = null;
      if (cause instanceof z.ZodError) {
        fieldErrors = {};
        for (const issue of cause.issues) {
          const key = issue.path.length > 0 ? issue.path.join(".") : "(input)";
          (fieldErrors[key] ??= []).push(issue.message);
        }
      } else if (cause instanceof AppError && cause.fieldErrors) {
        fieldErrors = cause.fieldErrors;
      }
      const message = cause instanceof z.ZodError ? "Invalid input" : shape.message;
      return { ...shape, message, data: { ...shape.data, fieldErrors, stack: undefined } };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const mergeRouters = t.mergeRouters;

/** Maps AppError thrown by services to tRPC errors; lets tRPC errors through. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const mapped = toTRPCError(result.error.cause);
    return { ...result, error: mapped } as typeof result;
  }
  return result;
});

/** Default deny: refuses any procedure whose metadata declares no permission. */
const declared = t.middleware(({ meta, next, path }) => {
  if (!meta?.public && !meta?.permission) {
    throw new TRPCError({ code: "FORBIDDEN", message: `Procedure ${path} declares no permission` });
  }
  return next();
});

const base = t.procedure.use(appErrors).use(declared);

/** No session needed. Must still say so with `.meta({ public: true })`. */
export const publicProcedure = base;

export const PASSWORD_CHANGE_REQUIRED_MESSAGE =
  "Choose a new password first: this account was given a one-time password (open /account/password)";

/** Signed in; refuses every procedure while the user must replace a generated password (POST /api/account/password does it). */
export const protectedProcedure = base.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  if (ctx.user.mustChangePassword) {
    throw new TRPCError({ code: "FORBIDDEN", message: PASSWORD_CHANGE_REQUIRED_MESSAGE });
  }
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** `permissionProcedure("inventory.read")`: signed in and holding a role the table allows. */
export function permissionProcedure(permission: TPermission) {
  return protectedProcedure.meta({ permission }).use(({ ctx, next }) => {
    if (!can(ctx.user.roles, permission)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `Your roles do not allow ${permission}` });
    }
    return next();
  });
}
