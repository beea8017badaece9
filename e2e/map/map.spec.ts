import { type Page } from "@playwright/test";
import { count, expect, signIn, sql, test } from "../fixtures";

/** The data centers in order of how far they sit from their nearest neighbour (most isolated first). */
async function isolatedDataCenters(): Promise<string[]> {
  const dcs = await sql<{ code: string; latitude: number; longitude: number }>("select code, latitude, longitude from data_center");
  const nearest = (d: (typeof dcs)[number]) =>
    Math.min(...dcs.filter((o) => o.code !== d.code).map((o) => Math.hypot(o.latitude - d.latitude, o.longitude - d.longitude)));
  return [...dcs].sort((a, b) => nearest(b) - nearest(a)).map((d) => d.code);
}

/** Codes of every data center on the map: a marker of its own, or a member of a group marker. */
async function shownCodes(page: Page): Promise<string[]> {
  const single = await page.getByTestId("dc-marker").evaluateAll((els) => els.map((e) => e.getAttribute("data-code") ?? ""));
  const grouped = await page.getByTestId("dc-cluster").evaluateAll((els) => els.flatMap((e) => (e.getAttribute("data-codes") ?? "").split(" ")));
  return [...single, ...grouped].sort();
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

  test("shows every data center in the database exactly once (alone or in a group), and a legend", async ({ page }) => {
    const codes = (await sql<{ code: string }>("select code from data_center order by code")).map((r) => r.code).sort();
    expect(codes.length).toBeGreaterThan(0);
    await page.goto("/map");
    await expect(page.getByTestId("dc-marker").first()).toBeVisible();
    await expect.poll(() => shownCodes(page)).toEqual(codes);
    await expect(page.getByTestId("map-legend")).toContainText("Crosses jurisdictions");
    // Every marker says what it encodes (a selected data center is never inside a group).
    const [offline] = await sql<{ code: string }>("select code from data_center where status = 'OFFLINE' order by code limit 1");
    if (offline) {
      await page.goto(`/map?dc=${offline.code}`);
      await expect(page.locator(`[data-testid="dc-marker"][data-code="${offline.code}"]`)).toHaveAttribute("data-status", "OFFLINE");
    }
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
    // The list comes a page at a time, with the total: "Show more" (a button, here from the keyboard) until all are listed.
    await expect(panel.getByTestId("dc-panel-shown")).toContainText(`of ${clusters.length.toLocaleString("en-US")}`);
    for (let pages = 0; pages < 20 && (await panel.getByTestId("dc-panel-more").isVisible()); pages++) {
      const before = await panel.getByTestId("dc-panel-cluster").count();
      await panel.getByTestId("dc-panel-more").press("Enter");
      await expect.poll(() => panel.getByTestId("dc-panel-cluster").count()).toBeGreaterThan(before);
    }
    await expect(panel.getByTestId("dc-panel-cluster")).toHaveCount(clusters.length);
    await expect(panel.getByTestId("dc-panel-shown")).toContainText(`Showing ${clusters.length.toLocaleString("en-US")} of ${clusters.length.toLocaleString("en-US")}`);
    const shown = await panel.getByTestId("dc-panel-cluster").evaluateAll((els) => els.map((e) => e.getAttribute("data-name")));
    expect([...shown].sort()).toEqual(clusters);
    // Each cluster links to its page.
    await expect(panel.getByRole("link", { name: clusters[0]!, exact: true })).toHaveAttribute("href", `/inventory/clusters/${encodeURIComponent(clusters[0]!)}`);
    await page.screenshot({ path: test.info().outputPath("map-panel.png") });

    // The selection is part of the URL: a fresh load shows the same panel.
    await page.reload();
    await expect(page.getByTestId("dc-panel")).toHaveAttribute("data-code", code);
  });

  test("the panel of a busy data center pages its clusters (Show more) and filters them on the server", async ({ page }) => {
    const [busiest] = await sql<{ code: string }>(
      "select d.code from data_center d join instance i on i.data_center_id = d.id group by d.code order by count(distinct i.cluster_id) desc, d.code limit 1",
    );
    const code = busiest!.code;
    const all = (
      await sql<{ name: string }>(
        "select c.name from cluster c where exists (select 1 from instance i join data_center d on d.id = i.data_center_id where i.cluster_id = c.id and d.code = $1) order by c.tier, c.name",
        [code],
      )
    ).map((r) => r.name);
    const pageSize = 50;
    expect(all.length).toBeGreaterThan(pageSize); // the demo fleet's busiest data center needs a second page
    await page.goto(`/map?dc=${code}`);
    const panel = page.getByTestId("dc-panel");
    await expect(panel.getByTestId("dc-panel-cluster")).toHaveCount(pageSize);
    await expect(panel.getByTestId("dc-panel-shown")).toHaveText(`Showing ${pageSize} of ${all.length} clusters`);
    const more = panel.getByRole("button", { name: `Show ${Math.min(pageSize, all.length - pageSize)} more` });
    await more.focus();
    await page.keyboard.press("Enter");
    await expect(panel.getByTestId("dc-panel-cluster")).toHaveCount(Math.min(all.length, 2 * pageSize));
    expect(await panel.getByTestId("dc-panel-cluster").evaluateAll((els) => els.map((e) => e.getAttribute("data-name")))).toEqual(all.slice(0, 2 * pageSize));

    // The filter asks the server: clusters whose name, team or an instance here matches.
    const needle = all[all.length - 1]!.slice(-3);
    const matching = (
      await sql<{ name: string }>(
        `select distinct c.name, c.tier from cluster c join team t on t.id = c.team_id join instance i on i.cluster_id = c.id join data_center d on d.id = i.data_center_id
          where d.code = $1 and (c.name ilike $2 or t.name ilike $2 or exists (select 1 from instance j where j.cluster_id = c.id and j.data_center_id = d.id and j.name ilike $2))
          order by c.tier, c.name`,
        [code, `%${needle}%`],
      )
    ).map((r) => r.name);
    await panel.getByRole("searchbox", { name: `Filter clusters in ${code}` }).fill(needle);
    await expect(panel.getByTestId("dc-panel-shown")).toHaveText(`Showing ${Math.min(pageSize, matching.length)} of ${matching.length} matching clusters`);
    expect(await panel.getByTestId("dc-panel-cluster").evaluateAll((els) => els.map((e) => e.getAttribute("data-name")))).toEqual(matching.slice(0, pageSize));
  });

  test("a filter changes the markers and lands in the URL", async ({ page }) => {
    await page.goto("/map");
    const all = await count("select count(*) from data_center");
    await expect.poll(async () => (await shownCodes(page)).length).toBe(all);

    const eu = await count("select count(*) from data_center where jurisdiction_code = 'EU'");
    expect(eu).toBeLessThan(all);
    await page.getByLabel("Jurisdiction").selectOption("EU");
    await expect(page).toHaveURL(/jurisdiction=EU/);
    await expect.poll(async () => (await shownCodes(page)).length).toBe(eu);
    for (const code of await shownCodes(page)) {
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
    await expect.poll(async () => (await shownCodes(page)).length).toBe(teamDcs);

    // Shareable: the same URL in a fresh load shows the same markers; back undoes the filter.
    await page.reload();
    await expect.poll(async () => (await shownCodes(page)).length).toBe(teamDcs);
    await page.goBack();
    await expect(page).not.toHaveURL(/team=/);
    await expect.poll(async () => (await shownCodes(page)).length).toBe(eu);
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
    const [dc] = await sql<{ id: string; code: string; status: string }>(
      `select d.id, d.code, d.status::text from data_center d where d.status = 'ACTIVE'
          and exists (select 1 from instance i where i.data_center_id = d.id) order by d.code limit 1`,
    );
    // Selected, so that it has a marker of its own even where data centers are grouped.
    await page.goto(`/map?dc=${dc!.code}`);
    await expect(page.getByTestId("dc-marker").first()).toBeVisible();
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

  test("nearby data centers are grouped at world zoom, with their count and worst health; Enter on a group zooms in and splits it", async ({ page }) => {
    await page.goto("/map");
    const group = page.getByTestId("dc-cluster").first();
    await expect(group).toBeVisible();
    const members = ((await group.getAttribute("data-codes")) ?? "").split(" ");
    expect(members.length).toBeGreaterThan(1);
    expect(Number(await group.getAttribute("data-count"))).toBe(members.length);
    await expect(group).toHaveAttribute("aria-label", new RegExp(`^${members.length} data centers: `));
    await page.screenshot({ path: test.info().outputPath("map-groups.png") });

    // Worst health of the members, as each of them reports alone (selected, it is never grouped).
    const rank: Record<string, number> = { UP: 0, UNKNOWN: 1, DEGRADED: 2, DOWN: 3 };
    const health = await group.getAttribute("data-health");
    const memberHealths: string[] = [];
    const page2 = await page.context().newPage();
    for (const code of members) {
      await page2.goto(`/map?dc=${code}`);
      memberHealths.push((await page2.locator(`[data-testid="dc-marker"][data-code="${code}"]`).getAttribute("data-health")) ?? "");
    }
    await page2.close();
    expect(health).toBe([...memberHealths].sort((a, b) => (rank[b] ?? 0) - (rank[a] ?? 0))[0]);

    // Keyboard: Enter on the group zooms in around it; markers of its members appear on their own.
    const before = Number(await page.getByTestId("world-map").getAttribute("data-zoom"));
    await group.focus();
    await page.keyboard.press("Enter");
    await expect.poll(async () => Number(await page.getByTestId("world-map").getAttribute("data-zoom"))).toBeGreaterThan(before);
    for (let i = 0; i < 4; i++) {
      const index = await page
        .getByTestId("dc-cluster")
        .evaluateAll((els, codes) => els.findIndex((e) => (e.getAttribute("data-codes") ?? "").split(" ").some((c) => codes.includes(c))), members);
      if (index < 0) break;
      await page.getByTestId("dc-cluster").nth(index).focus();
      await page.keyboard.press("Enter");
      await page.waitForTimeout(300);
    }
    const alone = await page.getByTestId("dc-marker").evaluateAll((els, codes) => els.filter((e) => codes.includes(e.getAttribute("data-code") ?? "")).length, members);
    expect(alone).toBeGreaterThan(0);
  });

  test("the table view lists the same data centers with the same filters, kept in the URL", async ({ page }) => {
    await page.goto("/map?jurisdiction=EU");
    await page.getByRole("button", { name: "Table" }).click();
    await expect(page).toHaveURL(/jurisdiction=EU&view=table/);
    await expect(page.getByRole("button", { name: "Table" })).toHaveAttribute("aria-pressed", "true");
    const eu = (await sql<{ code: string }>("select code from data_center where jurisdiction_code = 'EU' order by code")).map((r) => r.code);
    const table = page.getByRole("table", { name: "Data centers (the map as a table)" });
    await expect(table.getByTestId("dc-row")).toHaveCount(eu.length);
    expect((await table.getByTestId("dc-row").evaluateAll((els) => els.map((e) => e.getAttribute("data-code") ?? ""))).sort()).toEqual(eu);

    // Health in words (and its shape), not colour alone; a row opens the same panel as a marker.
    const code = eu[0]!;
    const row = table.locator(`[data-testid="dc-row"][data-code="${code}"]`);
    await expect(row).toContainText(/Up|Degraded|Down|Unknown/);
    await row.getByRole("button", { name: new RegExp(`^${code}, `) }).press("Enter");
    await expect(page).toHaveURL(new RegExp(`view=table&dc=${code}`));
    await expect(page.getByTestId("dc-panel")).toHaveAttribute("data-code", code);
    await page.screenshot({ path: test.info().outputPath("map-table.png") });

    // Shareable and undoable: a fresh load shows the table; back to the map.
    await page.reload();
    await expect(table.getByTestId("dc-row")).toHaveCount(eu.length);
    await page.getByRole("button", { name: "Map" }).click();
    await expect(page).not.toHaveURL(/view=table/);
    await expect(page.getByTestId("world-map")).toBeVisible();
  });
});
