import pg from "pg";
import { describe, expect, it } from "vitest";
import { testServerUrl } from "@meridian/db/testing";
import { inlineParams, sqlLiteral } from "./sql-text";

describe("SQL literals", () => {
  it("round-trip every awkward string exactly through a real PostgreSQL", async () => {
    const values = ["plain", "it's", "back\\slash", "\\'; DROP TABLE execution; --", "ünïcødé ✓", "$1 $2", "", "line\nbreak", "E'x'"];
    const client = new pg.Client({ connectionString: testServerUrl() });
    await client.connect();
    try {
      for (const v of values) {
        const { rows } = await client.query<{ v: string }>(`SELECT ${sqlLiteral(v)}::text AS v`);
        expect(rows[0]?.v).toBe(v);
      }
      const { rows } = await client.query<{ a: string[]; n: number; b: boolean; z: null }>(
        inlineParams("SELECT $1::text[] AS a, $2::int AS n, $3::boolean AS b, $4::text AS z", [["x", "it's"], 42, true, null]),
      );
      expect(rows[0]).toEqual({ a: ["x", "it's"], n: 42, b: true, z: null });
    } finally {
      await client.end();
    }
  });

  it("refuses what it cannot write safely", () => {
    expect(() => sqlLiteral(Number.NaN)).toThrow();
    expect(() => sqlLiteral({})).toThrow();
    expect(() => sqlLiteral("a\u0000b")).toThrow();
    expect(() => inlineParams("SELECT $2", [1])).toThrow(/no value for \$2/);
  });

  it("does not substitute inside the values it inlines", () => {
    expect(inlineParams("SELECT $1, $2", ["$2", "x"])).toBe("SELECT '$2', 'x'");
  });
});
