import { permissionProcedure } from "../../trpc";
import { listAuditEventsV1, scopeOf, whoAmIV1 } from "../../services/team-api";
import { ZAuditEventPageV1Schema, ZListAuditEventsV1RequestSchema, ZWhoAmIV1Schema } from "./team-api.schema";

export const listAuditEventsV1Procedure = permissionProcedure("audit.readTeam")
  .meta({ openapi: { method: "GET", path: "/audit-events", tags: ["audit"], summary: "Audit events of the team's clusters and tokens, newest first" } })
  .input(ZListAuditEventsV1RequestSchema)
  .output(ZAuditEventPageV1Schema)
  .query(({ ctx, input }) => listAuditEventsV1(ctx.prisma, ctx.user, scopeOf(ctx), input));

export const whoAmIV1Procedure = permissionProcedure("me.read")
  .meta({ openapi: { method: "GET", path: "/me", tags: ["auth"], summary: "The token in use: team, scopes, clusters it may file for, expiry" } })
  .output(ZWhoAmIV1Schema)
  .query(({ ctx }) => whoAmIV1(ctx.prisma, ctx.user, scopeOf(ctx)));
