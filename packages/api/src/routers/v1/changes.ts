import { permissionProcedure } from "../../trpc";
import {
  cancelChangeV1,
  executionV1,
  fileChangeV1,
  getChangeV1,
  listChangesV1,
  planChangeV1,
  scopeOf,
  submitChangeV1,
  updateChangeV1,
} from "../../services/team-api";
import {
  ZCancelChangeV1RequestSchema,
  ZChangeDetailV1Schema,
  ZChangePageV1Schema,
  ZChangePlanV1Schema,
  ZExecutionV1Schema,
  ZFileChangeV1RequestSchema,
  ZGetChangeV1RequestSchema,
  ZListChangesV1RequestSchema,
  ZPlanChangeV1RequestSchema,
  ZSubmitChangeV1RequestSchema,
  ZUpdateChangeV1RequestSchema,
} from "./team-api.schema";

const tags = ["changes"];

export const listChangesV1Procedure = permissionProcedure("changeRequest.read")
  .meta({ openapi: { method: "GET", path: "/changes", tags, summary: "List the change requests of the team's clusters" } })
  .input(ZListChangesV1RequestSchema)
  .output(ZChangePageV1Schema)
  .query(({ ctx, input }) => listChangesV1(ctx.prisma, scopeOf(ctx), input));

export const getChangeV1Procedure = permissionProcedure("changeRequest.read")
  .meta({ openapi: { method: "GET", path: "/changes/{number}", tags, summary: "Read a change request: plan, risk, residency verdict, approval state" } })
  .input(ZGetChangeV1RequestSchema)
  .output(ZChangeDetailV1Schema)
  .query(({ ctx, input }) => getChangeV1(ctx.prisma, ctx.user, scopeOf(ctx), input.number));

export const planChangeV1Procedure = permissionProcedure("changeRequest.create")
  .meta({ openapi: { method: "POST", path: "/changes/plan", tags, summary: "Dry run: plan a change file (plan, blast radius, risk, residency); nothing is filed" } })
  .input(ZPlanChangeV1RequestSchema)
  .output(ZChangePlanV1Schema)
  .mutation(({ ctx, input }) => planChangeV1(ctx.prisma, ctx.user, scopeOf(ctx), input, new Date()));

export const fileChangeV1Procedure = permissionProcedure("changeRequest.create")
  .meta({ openapi: { method: "POST", path: "/changes", tags, summary: "File a change request (DRAFT, or BLOCKED when residency forbids it)" } })
  .input(ZFileChangeV1RequestSchema)
  .output(ZChangeDetailV1Schema)
  .mutation(({ ctx, input }) => fileChangeV1(ctx.prisma, ctx.user, scopeOf(ctx), input, new Date()));

export const updateChangeV1Procedure = permissionProcedure("changeRequest.create")
  .meta({ openapi: { method: "PATCH", path: "/changes/{number}", tags, summary: "Edit a change request (a changed plan voids earlier approvals)" } })
  .input(ZUpdateChangeV1RequestSchema)
  .output(ZChangeDetailV1Schema)
  .mutation(({ ctx, input }) => updateChangeV1(ctx.prisma, ctx.user, scopeOf(ctx), input, new Date()));

export const submitChangeV1Procedure = permissionProcedure("changeRequest.create")
  .meta({ openapi: { method: "POST", path: "/changes/{number}/submit", tags, summary: "Submit a draft for approval" } })
  .input(ZSubmitChangeV1RequestSchema)
  .output(ZChangeDetailV1Schema)
  .mutation(({ ctx, input }) => submitChangeV1(ctx.prisma, ctx.user, scopeOf(ctx), input, new Date()));

export const cancelChangeV1Procedure = permissionProcedure("changeRequest.cancel")
  .meta({ openapi: { method: "POST", path: "/changes/{number}/cancel", tags, summary: "Cancel a change request" } })
  .input(ZCancelChangeV1RequestSchema)
  .output(ZChangeDetailV1Schema)
  .mutation(({ ctx, input }) => cancelChangeV1(ctx.prisma, ctx.user, scopeOf(ctx), input, new Date()));

export const changeExecutionV1Procedure = permissionProcedure("execution.read")
  .meta({ openapi: { method: "GET", path: "/changes/{number}/execution", tags, summary: "Follow the execution of a change request: step n of m" } })
  .input(ZGetChangeV1RequestSchema)
  .output(ZExecutionV1Schema)
  .query(({ ctx, input }) => executionV1(ctx.prisma, ctx.user, scopeOf(ctx), input.number));
