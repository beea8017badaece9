import { describe, expect, it } from "vitest";
import { SIMULATED_ACTION_MUTATES, SIMULATED_ACTION_NAMES, createSimulatedDriver } from "@meridian/fleet";
import { PLAN_ACTION_NAMES, PLAN_ACTIONS } from "../core/plan";

describe("the simulated driver and the plan format", () => {
  it("carries out every action a plan may name, and no other", () => {
    expect([...SIMULATED_ACTION_NAMES].sort()).toEqual([...PLAN_ACTION_NAMES].sort());
    const driver = createSimulatedDriver({ durationScale: 0 });
    for (const action of PLAN_ACTION_NAMES) expect(driver.actions[action], action).toBeDefined();
  });

  it("records in the ledger exactly the actions that change something", () => {
    for (const action of PLAN_ACTION_NAMES) expect(SIMULATED_ACTION_MUTATES[action], action).toBe(PLAN_ACTIONS[action].mutates);
  });
});
