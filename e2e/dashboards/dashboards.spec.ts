import { readFile } from "node:fs/promises";
import { type Page } from "@playwright/test";
import { expect, signIn, sql, test } from "../fixtures";

/** Calls a tRPC mutation from inside the page, with the page's session cookie. */
async function mutate(page: Page, path: string, input: unknown) {
  return page.evaluate(
    async ([p, i]) => {
      const res = await fetch(`/api/trpc/${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: i }) });
      return { status: res.status, body: await res.text() };
    },
    [path, input] as const,
  );
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      field = "";
      record = [];
      i++;
    } else field += c;
  }
  const [keys, ...rows] = records;
  return rows.map((r) => Object.fromEntries(r.map((v, i) => [keys![i]!, v])));
}

const CHARTS = [
  "chart-fleet-health",
  "chart-health-now-region",
  "chart-lag-percentiles",
  "chart-lag-tiers",
  "chart-lag-regions",
  "chart-worst-links",
  "chart-changes-outcome",
  "chart-changes-kind",
  "chart-jurisdiction-matrix",
  "chart-blocked",
  "chart-capacity",
] as const;

test.describe("dashboards (leadership)", () => {
  // One long walk through the page on a shared, loaded machine.
  test.describe.configure({ timeout: 150_000 });

  test("every chart renders with data; the range is in the URL; a CSV matches SQL; nothing can be changed", async ({ page }, testInfo) => {
    await signIn(page, "leadership");
    await page.goto("/dashboards");
    await expect(page.getByRole("heading", { level: 1, name: "Dashboards" })).toBeVisible();
    await expect(page.getByTestId("dashboard-window")).toContainText("per hour");

    for (const id of CHARTS) {
      const card = page.getByTestId(id);
      await expect(card, id).toBeVisible();
      await expect(card.getByTestId("empty-state"), `${id} is not empty`).toHaveCount(0);
      // Its data table is in the page (for screen readers) and has rows.
      expect(await card.locator("table tbody tr").count(), `${id} has table rows`).toBeGreaterThan(0);
    }
    // recharts drew the series.
    await expect(page.getByTestId("chart-fleet-health").locator(".recharts-area").first()).toBeVisible();
    await expect(page.getByTestId("chart-lag-percentiles").locator(".recharts-line").first()).toBeVisible();
    await expect(page.getByTestId("chart-changes-outcome").locator(".recharts-bar-rectangle").first()).toBeVisible();

    // The 7-day fleet health table has one row per hour that has data (about 7 x 24).
    const hourlyRows = await page.getByTestId("chart-fleet-health").locator("table tbody tr").count();
    expect(hourlyRows).toBeGreaterThanOrEqual(7 * 24 - 1);
    expect(hourlyRows).toBeLessThanOrEqual(7 * 24 + 2);

    // Switch to 90 days: the URL changes (shareable) and the charts are per day.
    await page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "90 days" }).click();
    await expect(page).toHaveURL(/[?&]range=90d/);
    await expect(page.getByTestId("dashboard-window")).toContainText("per day");
    await expect(page.getByTestId("chart-fleet-health").locator("table tbody tr")).toHaveCount(await sql<{ n: number }>(
      "select count(distinct bucket)::int as n from health_sample_daily where bucket >= date_trunc('day', now() - interval '90 days')",
    ).then((r) => r[0]!.n));
    // The console scrolls inside <main>: a tall viewport captures the whole page.
    await page.setViewportSize({ width: 1440, height: 5200 });
    await page.screenshot({ path: testInfo.outputPath("dashboards-90d.png"), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
    await testInfo.attach("dashboards-90d", { path: testInfo.outputPath("dashboards-90d.png"), contentType: "image/png" });

    // CSV of "changes per week by outcome": its totals match the database.
    const card = page.getByTestId("chart-changes-outcome");
    const [download] = await Promise.all([page.waitForEvent("download"), card.getByRole("button", { name: /download csv/i }).click()]);
    expect(download.suggestedFilename()).toBe("changes-by-outcome-90d.csv");
    const rows = parseCsv(await readFile((await download.path())!, "utf8"));
    expect(rows.length).toBeGreaterThanOrEqual(13);
    const filed = rows.reduce((s, r) => s + Number(r["Filed (changes)"]), 0);
    const failed = rows.reduce((s, r) => s + Number(r["Failed (changes)"]) + Number(r["Rolled back (changes)"]), 0);
    const [truth] = await sql<{ filed: number; failed: number }>(
      `select count(*)::int as filed, (count(*) filter (where status in ('FAILED','ROLLED_BACK')))::int as failed
         from change_request where status <> 'DRAFT' and created_at >= now() - interval '90 days'`,
    );
    expect(filed).toBe(truth!.filed);
    expect(failed).toBe(truth!.failed);
    // ... and the headline agrees with the CSV.
    await expect(page.getByTestId("stat-filed")).toContainText(new Intl.NumberFormat("en-US").format(filed));

    // The back button returns to the previous range.
    await page.goBack();
    await expect(page).not.toHaveURL(/range=90d/);
    await expect(page.getByTestId("dashboard-window")).toContainText("per hour");

    // Read-only: no control that changes anything, and a mutation sent by hand is refused.
    await expect(page.getByRole("button", { name: /approve|reject|delete|save|edit|create|sweep|submit/i })).toHaveCount(0);
    const res = await mutate(page, "dashboards.runResidencySweep", undefined);
    expect(res.status).toBe(403);
  });

  test("filters are kept in the URL and narrow the data", async ({ page }) => {
    const [region] = await sql<{ code: string }>(
      "select dc.region_code as code from instance i join data_center dc on dc.id = i.data_center_id group by 1 order by count(*) desc limit 1",
    );
    await signIn(page, "leadership");
    await page.goto(`/dashboards?range=24h&region=${region!.code}`);
    await expect(page.getByLabel("Region", { exact: true })).toHaveValue(region!.code);
    const regionRows = page.getByTestId("chart-health-now-region").locator("table tbody tr");
    await expect(regionRows).toHaveCount(1);
    const [n] = await sql<{ n: number }>(
      "select count(*)::int as n from instance i join data_center dc on dc.id = i.data_center_id where dc.region_code = $1",
      [region!.code],
    );
    await expect(regionRows.first().locator("td").last()).toHaveText(String(n!.n));
  });
});
