import { auditActorOf } from "../../services/audit/append-audit-event";
import { registerInstance, registrationOptions, rotateInstanceCredential } from "../../services/instances-registry";
import { createTRPCRouter, permissionProcedure } from "../../trpc";
import {
  ZRegisterInstanceRequestSchema,
  ZRotateInstanceCredentialRequestSchema,
} from "./instances-registry.schema";

/** Existing PostgreSQL servers into the inventory, and their credentials (write-only). */
export const instancesRegistryRouter = createTRPCRouter({
  options: permissionProcedure("instance.register").query(({ ctx }) => registrationOptions(ctx.prisma)),
  register: permissionProcedure("instance.register")
    .input(ZRegisterInstanceRequestSchema)
    .mutation(({ ctx, input }) => registerInstance(ctx.prisma, input, auditActorOf(ctx.user))),
  rotateCredential: permissionProcedure("instance.rotateCredential")
    .input(ZRotateInstanceCredentialRequestSchema)
    .mutation(({ ctx, input }) => rotateInstanceCredential(ctx.prisma, input, auditActorOf(ctx.user))),
});
