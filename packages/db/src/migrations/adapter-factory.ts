import { randomBytes } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import { connectionConfig } from "./connection-config";

const OID_CHAR = 18; // PostgreSQL's internal one-byte "char" type (pg_class.relkind, ...)
const OID_TEXT = 25;

type TQueryResultLike = { fields?: Array<{ dataTypeID: number }> };

function charAsText(result: unknown): void {
  const results = Array.isArray(result) ? result : [result];
  for (const r of results as TQueryResultLike[]) {
    for (const field of r?.fields ?? []) if (field.dataTypeID === OID_CHAR) field.dataTypeID = OID_TEXT;
  }
}

/**
 * A pg client that reports the internal "char" type as text: @prisma/adapter-pg 7.10.1 cannot
 * read OID 18, and the schema engine's introspection (diff, createMigration) selects it.
 */
class CharAsTextClient extends pg.Client {
  // pg's query() has many overloads (promise and callback forms); patch both.
  override query(...args: unknown[]): never {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args[args.length - 1] = (err: unknown, res: unknown) => {
        if (res) charAsText(res);
        (last as (e: unknown, r: unknown) => void)(err, res);
      };
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    if (out && typeof (out as Promise<unknown>).then === "function") {
      return (out as Promise<unknown>).then((res) => {
        charAsText(res);
        return res;
      }) as never;
    }
    return out as never;
  }
}

/**
 * Wraps an adapter so that executeScript sends the whole script as ONE query. The stock
 * adapter splits on every ";" (breaking $$ function bodies) and runs the pieces one by one
 * (a failing migration is then half applied). A multi-statement simple query runs in one
 * implicit transaction: all or nothing.
 */
function wholeScript(adapter: SqlDriverAdapter, pool: pg.Pool, release: () => Promise<void>): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === "executeScript") {
        return async (script: string) => {
          try {
            await pool.query(script);
          } catch (error) {
            // Maps the pg error to the DriverAdapterError shape the engine understands.
            (target as unknown as { onError(e: unknown): never }).onError(error);
          }
        };
      }
      if (prop === "dispose") return release;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export interface TShadowEvent {
  kind: "created" | "dropped";
  database: string;
}

/**
 * The driver-adapter factory handed to the WebAssembly schema engine. It fixes the
 * pitfalls of using @prisma/adapter-pg 7.10.1 directly (see packages/db/README.md):
 * config objects instead of URLs, a shadow database that is provably not the main one and
 * is dropped after its pool is closed, "char" read as text, scripts sent whole.
 */
export class MigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "meridian-migrate-pg";
  private readonly config: pg.PoolConfig & { database: string };
  private readonly pools = new Set<pg.Pool>();
  readonly shadowEvents: TShadowEvent[] = [];

  constructor(url: string) {
    this.config = connectionConfig(url);
  }

  get mainDatabase(): string {
    return this.config.database;
  }

  private async adapterFor(config: pg.PoolConfig, onDispose?: () => Promise<void>): Promise<SqlDriverAdapter> {
    const pool = new pg.Pool({ ...config, Client: CharAsTextClient });
    this.pools.add(pool);
    const adapter = await new PrismaPg(pool, { disposeExternalPool: false }).connect();
    const release = async () => {
      if (this.pools.delete(pool)) await pool.end();
      await onDispose?.();
    };
    return wholeScript(adapter, pool, release);
  }

  connect(): Promise<SqlDriverAdapter> {
    return this.adapterFor(this.config);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const database = `meridian_shadow_${randomBytes(6).toString("hex")}`;
    if (database === this.config.database) throw new Error("shadow database name equals the main database");
    const admin = new pg.Client(this.config);
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${database}"`);
    } finally {
      await admin.end();
    }
    this.shadowEvents.push({ kind: "created", database });
    const shadowConfig = { ...this.config, database };
    const adapter = await this.adapterFor(shadowConfig, async () => {
      // The pool is closed first (adapterFor's release), then the database is dropped.
      const dropper = new pg.Client(this.config);
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
      this.shadowEvents.push({ kind: "dropped", database });
    });
    // Prove the shadow pool is where we think it is before the engine writes to it.
    const check = await adapter.queryRaw({ sql: "select current_database() as db", args: [], argTypes: [] });
    const actual = check.rows[0]?.[0];
    if (actual !== database) {
      await adapter.dispose();
      throw new Error(`shadow pool connected to "${String(actual)}" instead of "${database}": refusing`);
    }
    return adapter;
  }

  /** Closes every pool still open (the engine's free() does not). */
  async close(): Promise<void> {
    const pools = [...this.pools];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.end()));
  }
}
