/**
 * `npm start` ends here: starts Meridian's console on `next start`.
 * - DATABASE_URL unset: starts the embedded PostgreSQL 17 (data under .meridian/, git-ignored)
 *   and uses its `meridian` database; stops it cleanly on exit (Ctrl-C, SIGTERM).
 * - Applies pending migrations, seeds the demo fleet if the database is empty, prints the URL
 *   and the demo sign-ins, then runs `next start` as a child and forwards signals to it.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createPrismaClient, env, isLoopbackHost } from "@meridian/db";
import { dataHome, startEmbeddedPostgres, type TEmbeddedPostgres } from "@meridian/db/embedded";
import { applyMigrations, ensureDatabase, redactUrl } from "@meridian/db/migrations";
import { DEFAULT_DEMO_PASSWORD, DEMO_USERS, isSeeded, planDemoPassword, replacePublishedPassword, seedDemo } from "@meridian/db/seed";
import { credentialKeyText } from "@meridian/db/credential-key";
import { startConsoleLab, type TConsoleLab } from "./lab";

const consoleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const log = (line: string) => console.log(`[meridian] ${line}`);

/** A stable secret per data folder, so sessions survive restarts of the demo. */
function sessionSecret(): string {
  const configured = env().NEXTAUTH_SECRET;
  if (configured) return configured;
  const file = path.join(dataHome(), "nextauth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

async function main(): Promise<void> {
  const started = Date.now();
  const e = env();
  let embedded: TEmbeddedPostgres | null = null;
  let url = e.DATABASE_URL;
  if (!url) {
    log("DATABASE_URL is not set: starting the embedded PostgreSQL 17");
    embedded = await startEmbeddedPostgres({ log });
    url = await ensureDatabase(embedded.url, "meridian");
  }
  log(`metadata database: ${redactUrl(url)}`);

  let stopping = false;
  let child: ReturnType<typeof spawn> | null = null;
  let lab: Promise<TConsoleLab> | null = null;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child?.once("exit", r));
    }
    if (lab) await (await lab).stop();
    if (embedded) {
      log("stopping the embedded PostgreSQL");
      await embedded.stop();
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  const applied = await applyMigrations(url);
  log(applied.length ? `applied migrations: ${applied.join(", ")}` : "migrations up to date");

  // The published demo password only on loopback with the embedded database (security defaults).
  const passwords = planDemoPassword({ host: e.HOST, externalDatabase: !embedded, configuredPassword: e.MERIDIAN_DEMO_PASSWORD });
  let oneTimePassword: string | null = null;
  const prisma = createPrismaClient(url, { max: 2 });
  try {
    if (!(await isSeeded(prisma))) {
      log(`seeding the demo fleet (${e.MERIDIAN_SEED_INSTANCES} instances)`);
      const { password: demoPassword, mustChangePassword } = passwords;
      await seedDemo(prisma, { instances: e.MERIDIAN_SEED_INSTANCES, demoPassword, mustChangePassword, history: true, log });
      if (passwords.generated) oneTimePassword = passwords.password;
    } else if (passwords.generated && (await replacePublishedPassword(prisma, passwords.password)).length > 0) {
      oneTimePassword = passwords.password;
    }
  } finally {
    await prisma.$disconnect();
  }
  // Managed-database credentials: the key for the console child; the lab starts beside it.
  const credentialKey = credentialKeyText({ embedded: embedded !== null });
  lab = startConsoleLab({ databaseUrl: url, credentialKey, log });

  if (!existsSync(path.join(consoleDir, ".next", "BUILD_ID"))) {
    log("the console is not built: run `pnpm build` (npm start does it for you)");
    await shutdown(1);
    return;
  }
  const port = e.PORT;
  const host = e.HOST;
  const wildcard = host === "0.0.0.0" || host === "::";
  const urlHost = wildcard || isLoopbackHost(host) ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const publicUrl = e.NEXTAUTH_URL ?? `http://${urlHost}:${port}`;
  const require = createRequire(import.meta.url);
  const nextBin = require.resolve("next/dist/bin/next", { paths: [consoleDir] });
  // The preload stamps each request with its client address (the sign-in throttle's key).
  const clientAddressHook = pathToFileURL(path.join(consoleDir, "scripts", "client-address.mjs")).href;
  child = spawn(process.execPath, ["--import", clientAddressHook, nextBin, "start", "-p", String(port), "-H", host], {
    cwd: consoleDir,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: url,
      MERIDIAN_CREDENTIAL_KEY: credentialKey,
      NEXTAUTH_SECRET: sessionSecret(),
      NEXTAUTH_URL: publicUrl,
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
      MERIDIAN_CLIENT_ADDRESS_HOOK: "on",
      MERIDIAN_TRUSTED_PROXIES: e.MERIDIAN_TRUSTED_PROXIES,
      // Next would exit on SIGTERM at once; the console's own handler (src/server/background.ts)
      // lets running steps finish and hands leases back first, then exits.
      NEXT_MANUAL_SIG_HANDLE: "true",
    },
  });
  child.on("exit", (code) => void shutdown(code ?? 0));

  // Wait until the console answers, then say where it is.
  for (let i = 0; i < 600 && !stopping; i++) {
    try {
      const res = await fetch(`http://${urlHost}:${port}/api/health`);
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(`Meridian console ready in ${seconds} s: ${publicUrl}`);
  log(
    isLoopbackHost(host)
      ? `listening on ${host} only (this machine); set HOST=0.0.0.0 to serve others`
      : `listening on ${wildcard ? "every interface" : host}: reachable from other machines`,
  );
  if (oneTimePassword) {
    showOneTimePassword(oneTimePassword, passwords.reason ?? "");
    log("demo sign-ins (with the one-time password; each user must choose a new one at first sign-in):");
  } else if (passwords.generated) {
    log("demo sign-ins (with the one-time password shown when this database was seeded):");
  } else if (passwords.password !== DEFAULT_DEMO_PASSWORD) {
    log("demo sign-ins (with the password set in MERIDIAN_DEMO_PASSWORD):");
  } else {
    log(`demo sign-ins (password "${DEFAULT_DEMO_PASSWORD}", accepted because only this machine can reach the console):`);
  }
  for (const user of DEMO_USERS) log(`  ${user.email.padEnd(28)} ${user.persona}`);
  log("Ctrl-C stops the console" + (embedded ? " and the embedded PostgreSQL" : ""));
}

/**
 * The generated password, once: straight to the terminal when there is one, never into a log
 * that persists (nor the audit trail). Without a terminal (a service manager capturing the
 * output) it goes to a file only the owner can read, and the log says where.
 */
function showOneTimePassword(password: string, reason: string): void {
  if (process.stdout.isTTY) {
    process.stdout.write(
      `\n  One-time password of the demo users (${reason}):\n\n      ${password}\n\n` +
        "  Shown once. Each user must choose a new password at first sign-in.\n\n",
    );
    return;
  }
  const file = path.join(dataHome(), "one-time-password");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  log(`one-time password of the demo users (${reason}) written to ${file} (mode 600): read it, then delete the file`);
}

main().catch((error: unknown) => {
  console.error(`[meridian] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
