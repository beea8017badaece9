import { z } from "zod";

/**
 * The one place Meridian reads its environment. Every variable is documented in the root
 * README ("Configuration"). Parsed lazily so that tools which need none of it still start.
 */
const ZEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Metadata database. Unset: the launcher starts an embedded PostgreSQL and sets it. */
  DATABASE_URL: z.string().url().optional(),
  /** Test suites: a server on which test databases are created (each test file gets its own). */
  TEST_DATABASE_URL: z.string().url().optional(),
  /** Where the embedded PostgreSQL keeps its data (git-ignored). */
  MERIDIAN_DATA_DIR: z.string().default(".meridian"),
  MERIDIAN_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Interface the console listens on. Loopback by default: set 0.0.0.0 (or an address) to serve others. */
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Reverse proxies (comma-separated addresses) whose X-Forwarded-For the sign-in throttle believes; loopback always. */
  MERIDIAN_TRUSTED_PROXIES: z.string().default(""),
  /** Demo sign-in password for the seeded users (printed at start). */
  MERIDIAN_DEMO_PASSWORD: z.string().min(8).default("meridian-demo"),
  /** Number of instances the demo seed creates (scale option). */
  MERIDIAN_SEED_INSTANCES: z.coerce.number().int().min(50).max(100_000).default(1200),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_DEFAULT_ROLE: z.enum(["ADMIN", "DBA", "ENGINEER", "TEAM_APPROVER", "COMPLIANCE", "VIEWER"]).default("VIEWER"),
  /** AES-256-GCM key (base64, 32 bytes) for managed-database credentials. */
  MERIDIAN_CREDENTIAL_KEY: z.string().optional(),
  /** Outbound webhook for change request state changes (JSON, e.g. a chat tool's incoming webhook). Unset: none sent. */
  MERIDIAN_WEBHOOK_URL: z.string().url().optional(),
  /** HMAC-SHA256 key of the `x-meridian-signature` header of outbound webhooks. */
  MERIDIAN_WEBHOOK_SECRET: z.string().min(16, "MERIDIAN_WEBHOOK_SECRET must be at least 16 characters").optional(),
  /** The execution worker inside the console process: `on` (default) or `off` (run standalone `worker` processes instead). */
  MERIDIAN_WORKER: z.enum(["on", "off"], { error: "MERIDIAN_WORKER must be on or off" }).default("on"),
  /** Executions the in-process worker runs at once. */
  MERIDIAN_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Duration of every simulated fleet action of the in-process worker, in ms (e2e: 50; 0: instant). */
  MERIDIAN_SIM_STEP_MS: z.coerce.number().int().min(0).max(600_000).default(500),
  /** The local replication lab (embedded PostgreSQL servers registered as a demo cluster): `on` (default) or `off`. */
  MERIDIAN_LAB: z.enum(["on", "off"], { error: "MERIDIAN_LAB must be on or off" }).default("on"),
  /** Servers in the lab (at least 4: one per jurisdiction). */
  MERIDIAN_LAB_INSTANCES: z.coerce.number().int().min(2).max(16).default(4),
  /** The health and lag collector of postgres instances in this process: `on` (default) or `off`. */
  MERIDIAN_COLLECTOR: z.enum(["on", "off"], { error: "MERIDIAN_COLLECTOR must be on or off" }).default("on"),
  /** Collector cycle, ms. */
  MERIDIAN_COLLECTOR_INTERVAL_MS: z.coerce.number().int().min(200).max(600_000).default(5_000),
  /** Sessions end after this many minutes without a request. */
  MERIDIAN_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(120),
  /** Sessions end this many hours after sign-in, active or not. */
  MERIDIAN_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(12),
});

export type TEnv = z.infer<typeof ZEnvSchema>;

let cached: TEnv | undefined;

export function env(): TEnv {
  if (cached) return cached;
  const parsed = ZEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** For launchers that set DATABASE_URL after starting the embedded server. */
export function resetEnvCache(): void {
  cached = undefined;
}
