import { permissionProcedure } from "../../trpc";
import { getClusterV1, getDataCenterV1, listClustersV1, listDataCentersV1, listInstancesV1, listLinksV1, scopeOf } from "../../services/team-api";
import {
  ZClusterPageV1Schema,
  ZClusterV1Schema,
  ZDataCenterPageV1Schema,
  ZDataCenterV1Schema,
  ZGetClusterV1RequestSchema,
  ZGetDataCenterV1RequestSchema,
  ZInstancePageV1Schema,
  ZLinkPageV1Schema,
  ZListClustersV1RequestSchema,
  ZListDataCentersV1RequestSchema,
  ZListInstancesV1RequestSchema,
  ZListLinksV1RequestSchema,
} from "./team-api.schema";

const tags = ["fleet"];

export const listDataCentersV1Procedure = permissionProcedure("inventory.read")
  .meta({ openapi: { method: "GET", path: "/data-centers", tags, summary: "List data centers" } })
  .input(ZListDataCentersV1RequestSchema)
  .output(ZDataCenterPageV1Schema)
  .query(({ ctx, input }) => listDataCentersV1(ctx.prisma, input));

export const getDataCenterV1Procedure = permissionProcedure("inventory.read")
  .meta({ openapi: { method: "GET", path: "/data-centers/{code}", tags, summary: "Read a data center" } })
  .input(ZGetDataCenterV1RequestSchema)
  .output(ZDataCenterV1Schema)
  .query(({ ctx, input }) => getDataCenterV1(ctx.prisma, input.code));

export const listClustersV1Procedure = permissionProcedure("inventory.read")
  .meta({ openapi: { method: "GET", path: "/clusters", tags, summary: "List the team's clusters" } })
  .input(ZListClustersV1RequestSchema)
  .output(ZClusterPageV1Schema)
  .query(({ ctx, input }) => listClustersV1(ctx.prisma, scopeOf(ctx), input));

export const getClusterV1Procedure = permissionProcedure("inventory.read")
  .meta({ openapi: { method: "GET", path: "/clusters/{name}", tags, summary: "Read a cluster of the team" } })
  .input(ZGetClusterV1RequestSchema)
  .output(ZClusterV1Schema)
  .query(({ ctx, input }) => getClusterV1(ctx.prisma, scopeOf(ctx), input.name));

export const listInstancesV1Procedure = permissionProcedure("inventory.read")
  .meta({ openapi: { method: "GET", path: "/instances", tags, summary: "List the instances of the team's clusters" } })
  .input(ZListInstancesV1RequestSchema)
  .output(ZInstancePageV1Schema)
  .query(({ ctx, input }) => listInstancesV1(ctx.prisma, scopeOf(ctx), input));

export const listLinksV1Procedure = permissionProcedure("inventory.read")
  .meta({ openapi: { method: "GET", path: "/links", tags, summary: "List the replication links of the team's clusters" } })
  .input(ZListLinksV1RequestSchema)
  .output(ZLinkPageV1Schema)
  .query(({ ctx, input }) => listLinksV1(ctx.prisma, scopeOf(ctx), input));
