import { execFileSync } from "node:child_process";
import { expect, test } from "../fixtures";

/** `npm start` listens on 127.0.0.1 unless HOST says otherwise. */
function otherAddress(): string | null {
  try {
    const out = execFileSync("hostname", ["-I"], { encoding: "utf8" });
    return out.split(/\s+/).find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) && !a.startsWith("127.")) ?? null;
  } catch {
    return null;
  }
}

test("the console answers on 127.0.0.1 and not on the machine's other address", async ({ request, baseURL }) => {
  const port = new URL(baseURL!).port;
  const local = await request.get(`http://127.0.0.1:${port}/api/health`);
  expect(local.status()).toBeLessThan(500);
  const address = otherAddress();
  test.skip(address === null, "this machine has no address besides loopback");
  const outside = await request.get(`http://${address}:${port}/api/health`, { timeout: 5_000 }).then(
    (r) => `answered ${r.status()}`,
    (e: unknown) => String(e),
  );
  expect(outside).toMatch(/ECONNREFUSED|connect/i);
});
