import { describe, expect, it } from "vitest";
import { prefillFromSearchParams, residencyFixHref } from "./form-prefill";

const CLUSTER = "3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c";
const INSTANCE = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

describe("prefillFromSearchParams", () => {
  it("fills a REMOVE_REPLICA form from the finding's link", () => {
    expect(prefillFromSearchParams("REMOVE_REPLICA", { kind: "REMOVE_REPLICA", clusterId: CLUSTER, instanceId: INSTANCE })).toEqual({
      clusterId: CLUSTER,
      instanceId: INSTANCE,
    });
  });

  it("drops values the kind's schema refuses and keeps the rest", () => {
    expect(prefillFromSearchParams("REMOVE_LINK", { clusterId: CLUSTER, linkId: "not-a-uuid" })).toEqual({ clusterId: CLUSTER });
    expect(prefillFromSearchParams("MOVE_PRIMARY_REGION", { clusterId: "x", targetDataCenterId: INSTANCE, maxLagSeconds: "99999", mode: "CARRIER_PIGEON" })).toEqual({
      targetDataCenterId: INSTANCE,
    });
  });

  it("ignores parameters the kind does not have", () => {
    expect(prefillFromSearchParams("REMOVE_LINK", { clusterId: CLUSTER, instanceId: INSTANCE, sql: "DROP TABLE x" })).toEqual({ clusterId: CLUSTER });
  });

  it("reads numbers, flags, enums and the first of repeated values", () => {
    expect(prefillFromSearchParams("MOVE_PRIMARY_REGION", { clusterId: [CLUSTER, INSTANCE], maxLagSeconds: "30", mode: "PHYSICAL" })).toEqual({
      clusterId: CLUSTER,
      maxLagSeconds: "30",
      mode: "PHYSICAL",
    });
    expect(prefillFromSearchParams("REMOVE_REPLICA", { allowLastReplica: "true" })).toEqual({ allowLastReplica: true });
    expect(prefillFromSearchParams("REMOVE_REPLICA", { allowLastReplica: "yes" })).toEqual({});
  });
});

describe("residencyFixHref", () => {
  const LINK = "9c8b7a6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
  /** The URL's query, read back the way the new-change page reads it. */
  const queryOf = (href: string) => Object.fromEntries(new URL(href, "http://x").searchParams);

  it("links each fix to a form whose parameters survive the form's own validation", () => {
    const replica = queryOf(residencyFixHref({ fixKind: "REMOVE_REPLICA", clusterId: CLUSTER, fixTargetId: INSTANCE }));
    expect(replica.kind).toBe("REMOVE_REPLICA");
    expect(prefillFromSearchParams("REMOVE_REPLICA", replica)).toEqual({ clusterId: CLUSTER, instanceId: INSTANCE });

    const link = queryOf(residencyFixHref({ fixKind: "REMOVE_LINK", clusterId: CLUSTER, fixTargetId: LINK }));
    expect(link.kind).toBe("REMOVE_LINK");
    expect(prefillFromSearchParams("REMOVE_LINK", link)).toEqual({ clusterId: CLUSTER, linkId: LINK });

    const primary = queryOf(residencyFixHref({ fixKind: "MOVE_PRIMARY_REGION", clusterId: CLUSTER, fixTargetId: null }));
    expect(primary.kind).toBe("MOVE_PRIMARY_REGION");
    expect(prefillFromSearchParams("MOVE_PRIMARY_REGION", primary)).toEqual({ clusterId: CLUSTER });
  });
});
