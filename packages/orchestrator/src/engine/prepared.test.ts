import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerUrl } from "@meridian/db/testing";
import { ensurePrepared, executeSql, namedQuery, preparedStatement } from "./prepared";

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: await testServerUrl() });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
});

describe("prepared statements of the engine's hot path", () => {
  it("EXECUTE arguments arrive as the values a bound parameter would carry, whatever they contain", async () => {
    const st = preparedStatement("roundtrip", "SELECT $1::text[] AS texts, $2::uuid[] AS ids, $3::jsonb AS doc, $4::int AS n, $5::text AS nothing");
    await ensurePrepared(client, [st]);
    const texts = ['a"b', "c\\d", "e'f", "{x,y}", "", "NULL"];
    const ids = ["6a1c7c4e-7b1e-4a43-9d39-0a6e2f1b2c3d"];
    const doc = { k: "v'\\\"", list: [1, null] };
    const { rows } = await client.query(executeSql(st, [texts, ids, JSON.stringify(doc), 42, null]));
    expect(rows[0]).toEqual({ texts, ids, doc, n: 42, nothing: null });
    // The same values through a bound parameter (named statement) give the same row.
    const bound = await namedQuery(client, st, [texts, ids, JSON.stringify(doc), 42, null]);
    expect(bound.rows[0]).toEqual(rows[0]);
  });

  it("prepares once per connection, survives a rollback, and keeps the two kinds of statement apart", async () => {
    const st = preparedStatement("once", "SELECT $1::int + 1 AS next");
    await client.query("BEGIN");
    await ensurePrepared(client, [st]);
    await client.query("ROLLBACK");
    await ensurePrepared(client, [st]); // no second PREPARE (it would fail: already exists)
    expect((await client.query(executeSql(st, [1]))).rows[0]).toEqual({ next: 2 });
    // The protocol-level named statement of the same text does not clash with the SQL one.
    expect((await namedQuery(client, st, [2])).rows[0]).toEqual({ next: 3 });
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'meridian_once_%'`);
    expect(rows[0]!.n).toBe(2);
  });
});
