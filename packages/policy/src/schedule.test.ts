import { describe, expect, it } from "vitest";
import {
  ZMaintenanceWindowSchema,
  freezesOverlapping,
  isChangeAllowedAt,
  nextAllowedAt,
  type TMaintenanceWindow,
  type TScheduleScope,
} from "./index";

const FRA = "11111111-1111-4111-8111-111111111111";
const IAD = "22222222-2222-4222-8222-222222222222";
const at = (iso: string) => new Date(`2025-11-${iso}Z`);

const fraWindow: TMaintenanceWindow = {
  dataCenterId: FRA,
  dataCenterCode: "fra1",
  kind: "WINDOW",
  startsAt: at("10T02:00:00"),
  endsAt: at("10T04:00:00"),
};
const iadWindow: TMaintenanceWindow = { ...fraWindow, dataCenterId: IAD, dataCenterCode: "iad1" };
const fleetFreeze: TMaintenanceWindow = {
  dataCenterId: null,
  kind: "FREEZE",
  reason: "Black Friday",
  startsAt: at("27T00:00:00"),
  endsAt: at("30T00:00:00"),
};
const fraFreeze: TMaintenanceWindow = {
  dataCenterId: FRA,
  dataCenterCode: "fra1",
  kind: "FREEZE",
  startsAt: at("10T03:00:00"),
  endsAt: at("10T03:30:00"),
};
const fleetWindow: TMaintenanceWindow = { dataCenterId: null, kind: "WINDOW", startsAt: at("12T00:00:00"), endsAt: at("12T06:00:00") };
const ALL = [fraWindow, iadWindow, fleetFreeze, fraFreeze, fleetWindow];

describe("isChangeAllowedAt", () => {
  const table: [string, string, TScheduleScope, boolean, boolean, string][] = [
    ["an ordinary day", "05T12:00:00", { dataCenterIds: [FRA] }, true, false, "No change freeze applies"],
    ["during the fleet-wide freeze", "28T12:00:00", { dataCenterIds: [FRA] }, false, false, 'Change freeze "Black Friday" fleet-wide until 2025-11-30T00:00:00.000Z'],
    ["the instant the freeze ends", "30T00:00:00", { dataCenterIds: [FRA] }, true, false, "No change freeze applies"],
    ["the instant the freeze starts", "27T00:00:00", {}, false, false, 'Change freeze "Black Friday" fleet-wide until 2025-11-30T00:00:00.000Z'],
    ["inside fra1's window", "10T02:30:00", { dataCenterIds: [FRA], requireWindow: true }, true, true, "Inside a maintenance window"],
    ["a freeze inside fra1's window wins", "10T03:15:00", { dataCenterIds: [FRA] }, false, true, "Change freeze in fra1 until 2025-11-10T03:30:00.000Z"],
    ["fra1's freeze does not stop iad1", "10T03:15:00", { dataCenterIds: [IAD], requireWindow: true }, true, true, "Inside a maintenance window"],
    ["a window is needed and only one of two data centers has one", "10T02:30:00", { dataCenterIds: [FRA, "33333333-3333-4333-8333-333333333333"], requireWindow: true }, false, false, "This change may only run inside a maintenance window, and none is open now"],
    ["a window is needed and both data centers have one", "10T02:30:00", { dataCenterIds: [FRA, IAD], requireWindow: true }, true, true, "Inside a maintenance window"],
    ["a fleet-wide window covers every data center", "12T01:00:00", { dataCenterIds: [FRA, IAD], requireWindow: true }, true, true, "Inside a maintenance window"],
    ["a window is needed outside any window", "05T12:00:00", { dataCenterIds: [FRA], requireWindow: true }, false, false, "This change may only run inside a maintenance window, and none is open now"],
    ["the instant a window ends", "10T04:00:00", { dataCenterIds: [FRA], requireWindow: true }, false, false, "This change may only run inside a maintenance window, and none is open now"],
  ];

  it.each(table)("%s", (_label, when, scope, allowed, inWindow, reason) => {
    const decision = isChangeAllowedAt(at(when), ALL, scope);
    expect(decision.allowed).toBe(allowed);
    expect(decision.inWindow).toBe(inWindow);
    expect(decision.reason).toBe(reason);
  });

  it("allows everything when there are no windows, unless a window is required", () => {
    expect(isChangeAllowedAt(at("01T00:00:00"), []).allowed).toBe(true);
    expect(isChangeAllowedAt(at("01T00:00:00"), [], { requireWindow: true }).allowed).toBe(false);
  });
});

describe("nextAllowedAt", () => {
  it("is now when nothing forbids", () => {
    expect(nextAllowedAt(at("05T12:00:00"), ALL, { dataCenterIds: [FRA] })).toEqual(at("05T12:00:00"));
  });
  it("is the end of the freeze during a freeze", () => {
    expect(nextAllowedAt(at("28T00:00:00"), ALL, { dataCenterIds: [FRA] })).toEqual(at("30T00:00:00"));
  });
  it("is the next window's start when a window is required, skipping a freeze inside it", () => {
    expect(nextAllowedAt(at("09T00:00:00"), ALL, { dataCenterIds: [FRA], requireWindow: true })).toEqual(at("10T02:00:00"));
    expect(nextAllowedAt(at("10T03:10:00"), ALL, { dataCenterIds: [FRA], requireWindow: true })).toEqual(at("10T03:30:00"));
  });
  it("is null when no window opens before the limit", () => {
    expect(nextAllowedAt(at("13T00:00:00"), ALL, { dataCenterIds: [FRA], requireWindow: true })).toBeNull();
    expect(nextAllowedAt(at("28T00:00:00"), ALL, {}, at("29T00:00:00"))).toBeNull();
  });
});

describe("freezesOverlapping", () => {
  it("finds the freezes a requested window would hit", () => {
    expect(freezesOverlapping(at("26T00:00:00"), at("27T00:00:01"), ALL, { dataCenterIds: [IAD] })).toEqual([fleetFreeze]);
    expect(freezesOverlapping(at("26T00:00:00"), at("27T00:00:00"), ALL)).toEqual([]);
    expect(freezesOverlapping(at("10T00:00:00"), at("11T00:00:00"), ALL, { dataCenterIds: [IAD] })).toEqual([]);
    expect(freezesOverlapping(at("10T00:00:00"), at("11T00:00:00"), ALL, { dataCenterIds: [FRA] })).toEqual([fraFreeze]);
  });
});

describe("ZMaintenanceWindowSchema", () => {
  it("refuses an end before the start, with the field", () => {
    const result = ZMaintenanceWindowSchema.safeParse({ kind: "FREEZE", startsAt: "2025-11-27T00:00:00Z", endsAt: "2025-11-26T00:00:00Z" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["endsAt"], message: "End must be after the start" });
  });
  it("refuses an unknown kind", () => {
    const result = ZMaintenanceWindowSchema.safeParse({ kind: "HOLIDAY", startsAt: "2025-11-27", endsAt: "2025-11-28" });
    expect(result.error?.issues[0]?.message).toBe("Kind must be WINDOW or FREEZE");
  });
  it("accepts a fleet-wide freeze given as strings", () => {
    const parsed = ZMaintenanceWindowSchema.parse({ kind: "FREEZE", startsAt: "2025-11-27T00:00:00Z", endsAt: "2025-11-30T00:00:00Z" });
    expect(parsed).toEqual({ dataCenterId: null, kind: "FREEZE", reason: "", startsAt: at("27T00:00:00"), endsAt: at("30T00:00:00") });
  });
});
