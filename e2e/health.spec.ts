import { expect, test } from "./fixtures";

test("/api/health reports a reachable database and every migration applied", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.status).toBe("ok");
  expect(body.database.reachable).toBe(true);
  expect(body.migrations.pending).toEqual([]);
  expect(body.migrations.applied.length).toBeGreaterThanOrEqual(2);
});
