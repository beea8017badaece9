import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLoopbackHost, verifyPassword } from "../passwords";
import { createTestDatabase, type TTestDatabase } from "../testing";
import { DEFAULT_DEMO_PASSWORD } from "./demo-users";
import { planDemoPassword, replacePublishedPassword } from "./demo-password";
import { seedDemo } from "./index";

describe("which demo password a fresh install gets", () => {
  it("tells loopback addresses from the others", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ["0.0.0.0", "::", "10.0.0.5", "192.168.1.20", "meridian.example.com", "128.0.0.1"]) expect(isLoopbackHost(h), h).toBe(false);
  });

  it("keeps the published password only on loopback with the embedded database", () => {
    expect(planDemoPassword({ host: "127.0.0.1", externalDatabase: false, configuredPassword: DEFAULT_DEMO_PASSWORD })).toMatchObject({
      password: DEFAULT_DEMO_PASSWORD,
      generated: false,
      mustChangePassword: false,
    });
    for (const input of [
      { host: "0.0.0.0", externalDatabase: false },
      { host: "10.0.0.5", externalDatabase: false },
      { host: "127.0.0.1", externalDatabase: true },
    ]) {
      const plan = planDemoPassword({ ...input, configuredPassword: DEFAULT_DEMO_PASSWORD });
      expect(plan.generated).toBe(true);
      expect(plan.mustChangePassword).toBe(true);
      expect(plan.password).not.toBe(DEFAULT_DEMO_PASSWORD);
      expect(plan.password.length).toBeGreaterThanOrEqual(24);
      expect(plan.reason).toBeTruthy();
    }
    const a = planDemoPassword({ host: "0.0.0.0", externalDatabase: true, configuredPassword: DEFAULT_DEMO_PASSWORD });
    const b = planDemoPassword({ host: "0.0.0.0", externalDatabase: true, configuredPassword: DEFAULT_DEMO_PASSWORD });
    expect(a.password).not.toBe(b.password);
    // One the operator chose is used as given.
    expect(planDemoPassword({ host: "0.0.0.0", externalDatabase: true, configuredPassword: "operator-chosen-pw" })).toMatchObject({
      password: "operator-chosen-pw",
      generated: false,
    });
  });
});

describe("seeding with a one-time password", () => {
  let db: TTestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it("marks every seeded user to change it at first sign-in, and the published password does not work", async () => {
    const plan = planDemoPassword({ host: "0.0.0.0", externalDatabase: false, configuredPassword: DEFAULT_DEMO_PASSWORD });
    await seedDemo(db.prisma, { instances: 50, demoPassword: plan.password, mustChangePassword: plan.mustChangePassword });
    const users = await db.prisma.user.findMany({ select: { passwordHash: true, mustChangePassword: true } });
    expect(users.length).toBeGreaterThan(0);
    expect(users.every((u) => u.mustChangePassword)).toBe(true);
    expect(await verifyPassword(plan.password, users[0]!.passwordHash!)).toBe(true);
    expect(await verifyPassword(DEFAULT_DEMO_PASSWORD, users[0]!.passwordHash!)).toBe(false);
  });

  it("a database seeded with the published password loses it when served beyond loopback", async () => {
    await seedDemo(db.prisma, { instances: 50, reset: true });
    const changed = await replacePublishedPassword(db.prisma, "a-one-time-password-0123");
    expect(changed.length).toBeGreaterThan(0);
    const users = await db.prisma.user.findMany({ select: { passwordHash: true, mustChangePassword: true, sessionVersion: true } });
    expect(users.every((u) => u.mustChangePassword && u.sessionVersion === 1)).toBe(true);
    expect(await verifyPassword(DEFAULT_DEMO_PASSWORD, users[0]!.passwordHash!)).toBe(false);
    expect(await replacePublishedPassword(db.prisma, "another-one-time-pw-1")).toEqual([]);
  });
});
