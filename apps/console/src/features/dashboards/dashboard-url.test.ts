import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";
import { dashboardQuery, dashboardQueryString, parseDashboardUrl } from "./dashboard-url";

const parse = (qs: string) => {
  const p = new URLSearchParams(qs);
  return parseDashboardUrl((k) => p.get(k));
};

describe("dashboard URL", () => {
  it("round-trips range and filters, leaving the default range out", () => {
    expect(dashboardQueryString(parse("range=30d&team=payments&region=eu-west"))).toBe("range=30d&team=payments&region=eu-west");
    expect(dashboardQueryString(parse("range=7d"))).toBe("");
  });

  it("falls back to 7 days on a bad range or an incomplete custom range", () => {
    expect(parse("range=1y").range).toBe("7d");
    expect(parse("range=custom&from=2026-10-01").range).toBe("7d");
    expect(parse("range=custom&from=2026-10-05&to=2026-10-01").range).toBe("7d");
    expect(parse("team=<script>").team).toBeUndefined();
  });

  it("makes a custom `to` day inclusive", () => {
    const q = dashboardQuery(parse("range=custom&from=2026-10-01&to=2026-10-15"));
    expect(q.from?.toISOString()).toBe("2026-10-01T00:00:00.000Z");
    expect(q.to?.toISOString()).toBe("2026-10-16T00:00:00.000Z");
  });
});

describe("CSV", () => {
  it("quotes commas, quotes and line breaks, and writes raw numbers", () => {
    const csv = toCsv(
      [
        { key: "a", label: "Name", value: (r: { a: string; n: number | null }) => r.a },
        { key: "n", label: "Count", value: (r: { a: string; n: number | null }) => r.n, format: () => "ignored in CSV" },
      ],
      [
        { a: 'x, "y"', n: 1234.5 },
        { a: "line\nbreak", n: null },
      ],
    );
    expect(csv).toBe('Name,Count\r\n"x, ""y""",1234.5\r\n"line\nbreak",\r\n');
  });
});
