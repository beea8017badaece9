import { describe, expect, it } from "vitest";
import { mapQueryString, parseMapUrl } from "./map-url";

const parse = (query: string) => {
  const params = new URLSearchParams(query);
  return parseMapUrl((k) => params.get(k));
};

describe("map URL", () => {
  it("keeps the table view with the filters and the selection", () => {
    const state = parse("jurisdiction=EU&view=table&dc=fra2");
    expect(state).toMatchObject({ table: true, dc: "fra2", filter: { jurisdiction: "EU" } });
    expect(mapQueryString(state)).toBe("jurisdiction=EU&view=table&dc=fra2");
  });

  it("shows the map unless the URL asks for the table", () => {
    expect(parse("view=map").table).toBeUndefined();
    expect(parse("view=TABLE;drop").table).toBeUndefined();
    expect(parse(mapQueryString(parse("z=3&at=8.00,50.00")))).toEqual({ filter: {}, zoom: 3, at: [8, 50] });
  });
});
