import { type Page } from "@playwright/test";
import { count, expect, signIn, sql, test } from "../fixtures";

/** The data centers in order of how far they sit from their nearest neighbour (most isolated first). */
async function isolatedDataCenters(): Promise<string[]> {
  const dcs = await sql<{ code: string; latitude: number; longitude: number }>("select code, latitude, longitude from data_center");
  const nearest = (d: (typeof dcs)[number]) =>
    Math.min(...dcs.filter((o) => o.code !== d.code).map((o) => Math.hypot(o.latitude - d.latitude, o.longitude - d.longitude)));
  return [...dcs].sort((a, b) => nearest(b) - nearest(a)).map((d) => d.code);
}

/** The first of `codes` whose marker is on top at its centre (not under a neighbour or the legend). */
async function clickableMarker(page: Page, codes: string[]): Promise<string> {
  for (const code of codes) {
    const marker = page.locator(`[data-testid="dc-marker"][data-code="${code}"]`);
    const box = await marker.boundingBox();
    if (!box) continue;
    const onTop = await page.evaluate(
      ({ x, y, code }) => document.elementFromPoint(x, y)?.closest('[data-testid="dc-marker"]')?.getAttribute("data-code") === code,
      { x: box.x + box.width / 2, y: box.y + box.height / 2, code },
    );
    if (onTop) return code;
  }
  throw new Error("no clickable marker");
}

test.describe("map", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, "dba");
  });

  test("shows exactly one marker per data center in the database, and a legend", async ({ page }) => {
    const n = await count("select count(*) from data_center");
    expect(n).toBeGreaterThan(0);
    await page.goto("/map");
    await expect(page.getByTestId("dc-marker")).toHaveCount(n);
    await expect(page.getByTestId("map-legend")).toContainText("Crosses jurisdictions");
    // Every marker says what it encodes.
    const [offline] = await sql<{ code: string }>("select code from data_center where status = 'OFFLINE' order by code limit 1");
    if (offline) await expect(page.locator(`[data-testid="dc-marker"][data-code="${offline.code}"]`)).toHaveAttribute("data-status", "OFFLINE");
    await page.screenshot({ path: test.info().outputPath("map.png") });
  });

  test("clicking a data center opens its panel with the clusters that run there", async ({ page }) => {
    await page.goto("/map");
    await expect(page.getByTestId("dc-marker").first()).toBeVisible();
    const candidates = await isolatedDataCenters();
    const withInstances = new Set((await sql<{ code: string }>("select distinct d.code from data_center d join instance i on i.data_center_id = d.id")).map((r) => r.code));
    const code = await clickableMarker(page, candidates.filter((c) => withInstances.has(c)));
    await page.locator(`[data-testid="dc-marker"][data-code="${code}"]`).click();

    await expect(page).toHaveURL(new RegExp(`[?&]dc=${code}(&|$)`));
    const panel = page.getByTestId("dc-panel");
    await expect(panel).toBeVisible();
    const clusters = (
      await sql<{ name: string }>(
        `select distinct c.name from cluster c join instance i on i.cluster_id = c.id join data_center d on d.id = i.data_center_id where d.code = $1 order by c.name`,
        [code],
      )
    ).map((r) => r.name);
    await expect(panel.getByTestId("dc-panel-cluster")).toHaveCount(clusters.length);
    const shown = await panel.getByTestId("dc-panel-cluster").evaluateAll((els) => els.map((e) => e.getAttribute("data-name")));
    expect([...shown].sort()).toEqual(clusters);
    // Each cluster links to its page.
    await expect(panel.getByRole("link", { name: clusters[0]!, exact: true })).toHaveAttribute("href", `/inventory/clusters/${encodeURIComponent(clusters[0]!)}`);
    await page.screenshot({ path: test.info().outputPath("map-panel.png") });

    // The selection is part of the URL: a fresh load shows the same panel.
    await page.reload();
    await expect(page.getByTestId("dc-panel")).toHaveAttribute("data-code", code);
  });

  test("a filter changes the markers and lands in the URL", async ({ page }) => {
    await page.goto("/map");
    const all = await count("select count(*) from data_center");
    await expect(page.getByTestId("dc-marker")).toHaveCount(all);

    const eu = await count("select count(*) from data_center where jurisdiction_code = 'EU'");
    expect(eu).toBeLessThan(all);
    await page.getByLabel("Jurisdiction").selectOption("EU");
    await expect(page).toHaveURL(/jurisdiction=EU/);
    await expect(page.getByTestId("dc-marker")).toHaveCount(eu);
    for (const code of await page.getByTestId("dc-marker").evaluateAll((els) => els.map((e) => e.getAttribute("data-code")))) {
      expect((await sql("select 1 from data_center where code = $1 and jurisdiction_code = 'EU'", [code])).length).toBe(1);
    }

    // A cluster filter keeps the data centers where that team runs instances.
    const [team] = await sql<{ slug: string }>("select slug from team order by slug limit 1");
    const [{ n: teamDcs }] = (await sql<{ n: number }>(
      `select count(distinct i.data_center_id)::int as n from instance i join cluster c on c.id = i.cluster_id join team t on t.id = c.team_id
        join data_center d on d.id = i.data_center_id where t.slug = $1 and d.jurisdiction_code = 'EU'`,
      [team!.slug],
    )) as [{ n: number }];
    expect(teamDcs).toBeGreaterThan(0);
    await page.getByLabel("Team").selectOption(team!.slug);
    await expect(page).toHaveURL(new RegExp(`team=${team!.slug}`));
    await expect(page.getByTestId("dc-marker")).toHaveCount(teamDcs);

    // Shareable: the same URL in a fresh load shows the same markers; back undoes the filter.
    await page.reload();
    await expect(page.getByTestId("dc-marker")).toHaveCount(teamDcs);
    await page.goBack();
    await expect(page).not.toHaveURL(/team=/);
    await expect(page.getByTestId("dc-marker")).toHaveCount(eu);
  });

  test("zoom and pan are kept in the URL", async ({ page }) => {
    await page.goto("/map");
    await expect(page.getByTestId("dc-marker").first()).toBeVisible();
    await page.getByRole("button", { name: "Zoom in" }).click();
    await page.getByRole("button", { name: "Zoom in" }).click();
    await expect(page).toHaveURL(/z=2\.5\d*&at=/);
    const url = page.url();
    await page.goto(url);
    await expect(page.getByTestId("world-map")).toHaveAttribute("data-zoom", /^2\.5/);
  });

  test("a status and health change in the database shows without a reload", async ({ page }) => {
    await page.goto("/map");
    await expect(page.getByTestId("dc-marker").first()).toBeVisible();
    const [dc] = await sql<{ id: string; code: string; status: string }>(
      `select d.id, d.code, d.status::text from data_center d where d.status = 'ACTIVE'
          and exists (select 1 from instance i where i.data_center_id = d.id) order by d.code limit 1`,
    );
    const marker = page.locator(`[data-testid="dc-marker"][data-code="${dc!.code}"]`);
    await expect(marker).toHaveAttribute("data-status", "ACTIVE");
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    const healths = await sql<{ id: string; health: string }>("select id, health::text from instance where data_center_id = $1", [dc!.id]);
    try {
      await sql("update data_center set status = 'MAINTENANCE' where id = $1", [dc!.id]);
      await sql("update instance set health = 'DOWN' where data_center_id = $1", [dc!.id]);
      await expect(marker).toHaveAttribute("data-status", "MAINTENANCE", { timeout: 5_000 });
      await expect(marker).toHaveAttribute("data-health", "DOWN", { timeout: 5_000 });
      expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
      await page.screenshot({ path: test.info().outputPath("map-live.png") });
    } finally {
      await sql("update data_center set status = $2::\"DataCenterStatus\" where id = $1", [dc!.id, dc!.status]);
      for (const h of healths) await sql("update instance set health = $2::\"HealthStatus\" where id = $1", [h.id, h.health]);
    }
    await expect(marker).toHaveAttribute("data-status", "ACTIVE", { timeout: 5_000 });
  });
});
