import { describe, expect, it } from "vitest";
import { reviewSchemaChange, splitSqlStatements, TIERS, type TSchemaReviewInput } from "./index";

const review = (sql: string, over: Partial<TSchemaReviewInput> = {}) =>
  reviewSchemaChange({ sql, allowDrop: false, tier: "T2", inMaintenanceWindow: false, ...over });

const rules = (sql: string, over: Partial<TSchemaReviewInput> = {}) =>
  review(sql, over).findings.map((f) => `${f.severity}:${f.rule}`);

describe("splitSqlStatements", () => {
  it.each([
    ["one statement without a semicolon", "ALTER TABLE a ADD COLUMN b int", 1],
    ["several statements and blank ones", "CREATE TABLE a (id int);; \n ALTER TABLE a ADD COLUMN b int;\n", 2],
    ["a semicolon inside a string", "INSERT INTO a VALUES ('x;y'); SELECT 1", 2],
    ["a semicolon inside a comment", "-- drop it; really\nSELECT 1; /* ; */ SELECT 2", 2],
    ["a semicolon inside a quoted identifier", 'ALTER TABLE "odd;name" ADD COLUMN c int', 1],
    [
      "a function body in dollar quotes",
      "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql; SELECT f()",
      2,
    ],
    ["only comments", "-- nothing here;\n/* nor; here */", 0],
  ])("%s", (_label, sql, count) => {
    expect(splitSqlStatements(sql)).toHaveLength(count);
  });

  it("keeps the statements as written", () => {
    expect(splitSqlStatements("SELECT 'a;b' ;\n  select 2 ")).toEqual(["SELECT 'a;b'", "select 2"]);
  });
});

describe("reviewSchemaChange", () => {
  const table: [string, string, Partial<TSchemaReviewInput>, string[]][] = [
    ["adding a nullable column", "ALTER TABLE orders ADD COLUMN note text", {}, []],
    ["adding a column with a constant default", "ALTER TABLE orders ADD COLUMN state text NOT NULL DEFAULT 'new'", {}, []],
    ["adding a column defaulting to now() (stable, no rewrite)", "ALTER TABLE orders ADD COLUMN at timestamptz DEFAULT now()", {}, []],
    ["drop table without the flag", "DROP TABLE orders", {}, ["error:schema/drop-needs-flag"]],
    ["drop table with the flag", "DROP TABLE IF EXISTS orders", { allowDrop: true }, []],
    ["drop column without the flag", "ALTER TABLE orders DROP COLUMN note", {}, ["error:schema/drop-needs-flag"]],
    ["drop column without the COLUMN keyword", "alter table orders drop note", {}, ["error:schema/drop-needs-flag"]],
    ["drop column with the flag", "ALTER TABLE orders DROP COLUMN note", { allowDrop: true }, []],
    ["drop schema", "DROP SCHEMA billing CASCADE", {}, ["error:schema/drop-needs-flag"]],
    ["dropping a default or a constraint is not a data drop", "ALTER TABLE o ALTER COLUMN a DROP DEFAULT; ALTER TABLE o DROP CONSTRAINT o_pk; ALTER TABLE o ALTER COLUMN b DROP NOT NULL", {}, []],
    ["drop database even with the flag", "DROP DATABASE prod", { allowDrop: true }, ["error:schema/no-drop-database"]],
    ["truncate", "TRUNCATE orders", { allowDrop: true }, ["error:schema/no-truncate"]],
    ["delete without where", "DELETE FROM orders", {}, ["error:schema/no-unbounded-dml"]],
    ["update with where", "UPDATE orders SET state = 'x' WHERE id = 1", {}, []],
    ["transaction control", "BEGIN; ALTER TABLE a ADD COLUMN b int; COMMIT", {}, ["error:schema/transaction-control", "error:schema/transaction-control"]],
    ["column type change on T2", "ALTER TABLE orders ALTER COLUMN id TYPE bigint", {}, ["warning:schema/table-rewrite"]],
    ["column type change on T0 outside a window", "ALTER TABLE orders ALTER COLUMN id SET DATA TYPE bigint", { tier: "T0" }, ["error:schema/table-rewrite"]],
    ["column type change on T0 inside a window", "ALTER TABLE orders ALTER id TYPE bigint", { tier: "T0", inMaintenanceWindow: true }, ["warning:schema/table-rewrite"]],
    ["volatile default on T0", "ALTER TABLE orders ADD COLUMN uid uuid DEFAULT gen_random_uuid()", { tier: "T0" }, ["error:schema/volatile-default"]],
    ["volatile default on T3", "ALTER TABLE orders ADD COLUMN r float DEFAULT random()", { tier: "T3" }, ["warning:schema/volatile-default"]],
    ["serial column", "ALTER TABLE orders ADD COLUMN seq bigserial", {}, ["warning:schema/volatile-default"]],
    ["not null without default", "ALTER TABLE orders ADD COLUMN owner_id int NOT NULL", {}, ["error:schema/not-null-without-default"]],
    ["index without concurrently on T0", "CREATE INDEX orders_state ON orders (state)", { tier: "T0" }, ["error:schema/index-concurrently"]],
    ["unique index without concurrently on T1", "CREATE UNIQUE INDEX u ON orders (ref)", { tier: "T1" }, ["warning:schema/index-concurrently"]],
    ["index concurrently on T0", "CREATE INDEX CONCURRENTLY orders_state ON orders (state)", { tier: "T0" }, []],
    ["index without concurrently on T0 in a window", "CREATE INDEX i ON orders (state)", { tier: "T0", inMaintenanceWindow: true }, ["warning:schema/index-concurrently"]],
    ["set not null", "ALTER TABLE orders ALTER COLUMN state SET NOT NULL", {}, ["warning:schema/set-not-null"]],
    ["rename column", "ALTER TABLE orders RENAME COLUMN note TO remark", {}, ["warning:schema/rename"]],
    ["vacuum full", "VACUUM FULL orders", { tier: "T0" }, ["error:schema/table-rewrite"]],
    ["keywords inside strings and comments are ignored", "COMMENT ON TABLE orders IS 'never DROP TABLE or TRUNCATE this'; -- DROP TABLE x\nSELECT 1", {}, []],
    ["empty", "  -- nothing\n", {}, ["error:schema/empty"]],
    ["no rollback SQL", "ALTER TABLE a ADD COLUMN b int", { hasRollbackSql: false }, ["warning:schema/no-rollback-sql"]],
  ];

  it.each(table)("%s", (_label, sql, over, expected) => {
    expect(rules(sql, over)).toEqual(expected);
    expect(review(sql, over).ok).toBe(!expected.some((r) => r.startsWith("error:")));
  });

  it("explains itself with the statement it found", () => {
    const result = review("ALTER TABLE a ADD COLUMN b int;\nDROP TABLE public.orders", {});
    expect(result.findings).toEqual([
      {
        rule: "schema/drop-needs-flag",
        severity: "error",
        message: 'DROP TABLE public.orders destroys data: tick "allow drop" to confirm it is intended',
        statementIndex: 2,
        excerpt: "DROP TABLE public.orders",
      },
    ]);
    expect(result.statements).toEqual(["ALTER TABLE a ADD COLUMN b int", "DROP TABLE public.orders"]);
    expect(review("ALTER TABLE a DROP COLUMN legacy_flag").findings[0]?.message).toBe(
      'DROP COLUMN legacy_flag destroys data: tick "allow drop" to confirm it is intended',
    );
  });

  it("is strict on T0 only outside a maintenance window", () => {
    for (const tier of TIERS)
      for (const inMaintenanceWindow of [false, true]) {
        const [finding] = review("CREATE INDEX i ON t (c)", { tier, inMaintenanceWindow }).findings;
        expect(finding?.severity).toBe(tier === "T0" && !inMaintenanceWindow ? "error" : "warning");
      }
  });
});
