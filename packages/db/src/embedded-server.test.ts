import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./embedded";
import { canReach, isRoot, packagedBinaries, postgresUser, reachableBinaries, SHARED_ROOT, startServer } from "./embedded-server";

const cleanup: string[] = [];
afterAll(() => {
  for (const p of cleanup) rmSync(p, { recursive: true, force: true });
});

function privateDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "meridian-private-")); // mode 700, like `mktemp -d` and /root
  cleanup.push(dir);
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  return dir;
}

describe("canReach", () => {
  const stranger = { uid: 54_321, gid: 54_321 };
  it("refuses a path below a mode-700 folder owned by someone else", () => {
    const dir = privateDir();
    mkdirSync(path.join(dir, "data"));
    expect(canReach(path.join(dir, "data"), stranger)).toBe(false);
  });
  it("allows it once every folder above can be traversed", () => {
    const dir = privateDir();
    mkdirSync(path.join(dir, "data"));
    chmodSync(dir, 0o711);
    expect(canReach(path.join(dir, "data"), stranger)).toBe(true);
  });
});

// The case of issue 11: root, a clone in a folder only root can enter. PostgreSQL refuses to
// run as root, so the server runs as `postgres`, which cannot enter that folder.
describe.runIf(isRoot())("embedded PostgreSQL as root from a mode-700 folder", () => {
  it("starts with its binaries and data inside the private folder, and stops leaving nothing running", async () => {
    const dir = privateDir();
    // A copy of the packaged binaries inside the private folder, as in a private clone.
    const packaged = packagedBinaries();
    const copyRoot = path.join(dir, "node_modules", "native");
    cpSync(path.dirname(packaged.binDir), copyRoot, { recursive: true, verbatimSymlinks: true });
    const version = `test-${process.pid}-${Date.now()}`;
    const ids = postgresUser();
    expect(canReach(path.join(copyRoot, "bin", "postgres"), ids)).toBe(false);

    const relocated = reachableBinaries(ids, { binDir: path.join(copyRoot, "bin"), version });
    cleanup.push(path.join(SHARED_ROOT, "embedded-postgres", version));
    expect(relocated.binDir.startsWith(SHARED_ROOT)).toBe(true);
    expect(canReach(path.join(relocated.binDir, "postgres"), ids)).toBe(true);
    // The relocated binaries run as the postgres user.
    const out = execFileSync(path.join(relocated.binDir, "postgres"), ["--version"], { uid: ids.uid, gid: ids.gid, encoding: "utf8" });
    expect(out).toMatch(/PostgreSQL\) 17\./);

    const requested = path.join(dir, ".meridian", "pgdata");
    const port = await freePort();
    const server = await startServer({
      dataDir: requested,
      port,
      user: "postgres",
      password: "pw-test",
      flags: ["-c", "listen_addresses=127.0.0.1", "-c", "wal_level=logical"],
      ephemeral: true,
      log: () => {},
    });
    try {
      const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password: "pw-test", database: "postgres" });
      await client.connect();
      const { rows } = await client.query<{ wal: string }>("SELECT current_setting('wal_level') AS wal");
      await client.end();
      expect(rows[0]?.wal).toBe("logical");
      expect(lstatSync(requested).isSymbolicLink()).toBe(true);
      expect(server.dataDir.startsWith(path.join(SHARED_ROOT, "data"))).toBe(true);
      expect(statSync(server.dataDir).uid).toBe(ids.uid);
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dataDir)).toBe(false);
    expect(existsSync(requested)).toBe(false);
  });
});
