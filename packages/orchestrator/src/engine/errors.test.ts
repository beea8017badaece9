import { describe, expect, it } from "vitest";
import { ActionError } from "@meridian/fleet";
import { InfrastructureError, LeaseLostError, StepTimeoutError, isInfrastructureError } from "./errors";

describe("isInfrastructureError", () => {
  it("recognises a lost or refused database connection", () => {
    expect(isInfrastructureError(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    expect(isInfrastructureError(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isInfrastructureError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isInfrastructureError(Object.assign(new Error("could not serialize access"), { code: "40001" }))).toBe(true);
    expect(isInfrastructureError(new InfrastructureError(new Error("x")))).toBe(true);
  });

  it("does not mistake a step's own failure for one", () => {
    expect(isInfrastructureError(new ActionError("Data center fra1 has no free slot"))).toBe(false);
    expect(isInfrastructureError(Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" }))).toBe(false);
    expect(isInfrastructureError(new StepTimeoutError(1_000))).toBe(false);
    expect(isInfrastructureError(new LeaseLostError("e", "1"))).toBe(false);
    expect(isInfrastructureError("nope")).toBe(false);
  });
});
