import { describe, expect, it } from "vitest";
import { nextHealth, type THealthState } from "./evaluate";

const run = (start: THealthState, polls: boolean[]) => {
  const seen: string[] = [];
  let s = start;
  for (const ok of polls) {
    s = nextHealth(s, ok);
    seen.push(s.health);
  }
  return seen;
};

describe("health hysteresis", () => {
  const up: THealthState = { health: "UP", failureStreak: 0, successStreak: 5 };
  it("ignores one lost poll, degrades after two, goes down after three", () => {
    expect(run(up, [false, true])).toEqual(["UP", "UP"]);
    expect(run(up, [false, false, false, false])).toEqual(["UP", "DEGRADED", "DOWN", "DOWN"]);
  });
  it("comes back up only after two good polls in a row", () => {
    const down: THealthState = { health: "DOWN", failureStreak: 4, successStreak: 0 };
    expect(run(down, [true, false, true, true])).toEqual(["DOWN", "DOWN", "DOWN", "UP"]);
  });
  it("takes the first poll's word for an instance never polled", () => {
    expect(run({ health: "UNKNOWN", failureStreak: 0, successStreak: 0 }, [true])).toEqual(["UP"]);
    expect(run({ health: "UNKNOWN", failureStreak: 0, successStreak: 0 }, [false, false])).toEqual(["UNKNOWN", "DEGRADED"]);
  });
});
