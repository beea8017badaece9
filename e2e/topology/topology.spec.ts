import { count, expect, signIn, sql, test } from "../fixtures";

/** A cluster with replicas in at least two data centers, and its links as the database has them. */
async function clusterWithLinks() {
  const [cluster] = await sql<{ id: string; name: string }>(
    `select c.id, c.name from cluster c join instance i on i.cluster_id = c.id
      group by c.id having count(distinct i.data_center_id) >= 3 and count(*) >= 4
      order by c.name limit 1`,
  );
  const links = await sql<{ source: string; target: string; mode: string; status: string }>(
    `select s.name as source, t.name as target, l.mode::text as mode, l.status::text as status
       from replication_link l join instance s on s.id = l.source_id join instance t on t.id = l.target_id
      where s.cluster_id = $1 or t.cluster_id = $1 order by t.name`,
    [cluster!.id],
  );
  const [primary] = await sql<{ name: string }>("select name from instance where cluster_id = $1 and role = 'PRIMARY'", [cluster!.id]);
  return { ...cluster!, links, primary: primary!.name };
}

test.describe("topology", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, "dba");
  });

  test("a cluster's graph shows its primary and one edge per replication link, as in the database", async ({ page }) => {
    const c = await clusterWithLinks();
    const instances = await count("select count(*) from instance where cluster_id = $1", [c.id]);
    await page.goto(`/topology?cluster=${encodeURIComponent(c.name)}`);
    await expect(page.getByTestId("topology-cluster-name")).toHaveText(c.name);

    const own = page.locator('[data-testid="topology-node"][data-kind="instance"]:not([data-external])');
    await expect(own).toHaveCount(instances);
    const primaries = page.locator('[data-testid="topology-node"][data-kind="instance"][data-role="primary"]:not([data-external])');
    await expect(primaries).toHaveCount(1);
    await expect(primaries).toHaveAttribute("data-name", c.primary);

    const edges = page.getByTestId("topology-edge");
    await expect(edges).toHaveCount(c.links.length);
    for (const l of c.links) {
      const edge = page.locator(`[data-testid="topology-edge"][data-source="${l.source}"][data-target="${l.target}"]`);
      await expect(edge).toHaveCount(1);
      await expect(edge).toHaveAttribute("data-mode", l.mode);
      await expect(edge).toHaveAttribute("data-status", l.status);
    }
    // Replication runs from the primary to its own replicas.
    const ownLinks = c.links.filter((l) => l.source === c.primary);
    expect(ownLinks.length).toBe(instances - 1);
    // Labels name mode and lag.
    await expect(page.getByTestId("topology-edge-label").first()).toContainText(/(Physical|Logical|CDC)\s*·\s*\d/);
    await expect(page.getByTestId("topology-legend")).toContainText("Crosses jurisdictions");
    await page.screenshot({ path: test.info().outputPath("topology-cluster.png") });
  });

  test("search focuses and highlights an instance; the deep link works on its own", async ({ page }) => {
    const c = await clusterWithLinks();
    const replica = c.links.find((l) => l.source === c.primary)!.target;
    await page.goto("/topology");
    await page.getByTestId("topology-search").fill(replica);
    const option = page.getByRole("option").filter({ hasText: replica }).first();
    await expect(option).toBeVisible();
    await option.click();
    await expect(page).toHaveURL(new RegExp(`cluster=${c.name}.*select=instance%3A${replica}|cluster=${c.name}.*select=instance:${replica}`));
    const node = page.locator(`[data-testid="topology-node"][data-name="${replica}"]`);
    await expect(node).toHaveAttribute("data-highlighted", "true");
    await expect(page.getByTestId("topology-details")).toContainText(replica);
    await expect(node).toBeInViewport();

    await page.goto(page.url());
    await expect(page.locator(`[data-testid="topology-node"][data-name="${replica}"]`)).toHaveAttribute("data-highlighted", "true");
  });

  test("the fleet view shows every data center, and clusters once zoomed in", async ({ page }) => {
    const dcs = await count("select count(*) from data_center");
    await page.goto("/topology");
    await expect(page.locator('[data-testid="topology-node"][data-kind="data-center"]')).toHaveCount(dcs);
    await expect(page.getByTestId("fleet-summary")).toContainText(`${dcs} data centers`);
    await page.screenshot({ path: test.info().outputPath("topology-fleet.png") });

    const [dc] = await sql<{ code: string }>(
      `select d.code from data_center d join instance i on i.data_center_id = d.id and i.role = 'PRIMARY' group by d.code order by count(*) desc limit 1`,
    );
    await page.goto(`/topology?select=dc:${dc!.code}`);
    await expect(page.locator(`[data-testid="topology-node"][data-kind="data-center"][data-name="${dc!.code}"]`)).toHaveAttribute("data-highlighted", "true");
    const card = page.locator('[data-testid="topology-node"][data-kind="cluster"]').first();
    await expect(card).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("topology-fleet-zoomed.png") });

    // A click on a cluster selects it (details beside the graph); a double click opens its graph.
    // (Cards of data centers near the screen are mounted too: pick one on screen.)
    const name = await page.evaluate(() => {
      const pane = document.querySelector('[data-testid="topology-canvas"]')!.getBoundingClientRect();
      const inside = [...document.querySelectorAll<HTMLElement>('[data-testid="topology-node"][data-kind="cluster"]')].find((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.left >= pane.left + 20 && r.right <= pane.right - 80 && r.top >= pane.top + 20 && r.bottom <= pane.bottom - 120;
      });
      return inside?.dataset.name ?? "";
    });
    expect(name).not.toBe("");
    await page.locator(`[data-testid="topology-node"][data-kind="cluster"][data-name="${name}"]`).click();
    await expect(page.getByTestId("topology-details")).toContainText(name);
    await expect(page.locator(`[data-testid="topology-node"][data-kind="cluster"][data-name="${name}"]`)).toHaveAttribute("data-highlighted", "true");
    await page.locator(`[data-testid="topology-node"][data-kind="cluster"][data-name="${name}"]`).dblclick();
    await expect(page.getByTestId("topology-cluster-name")).toHaveText(name);
  });

  test("health and link status changes in the database show on the graph without a reload", async ({ page }) => {
    const c = await clusterWithLinks();
    const link = c.links.find((l) => l.source === c.primary && l.status === "ACTIVE")!;
    const [before] = await sql<{ health: string; lag: number }>(
      `select t.health::text as health, l.lag_seconds as lag from replication_link l join instance s on s.id = l.source_id
         join instance t on t.id = l.target_id where s.name = $1 and t.name = $2`,
      [link.source, link.target],
    );
    await page.goto(`/topology?cluster=${encodeURIComponent(c.name)}`);
    const node = page.locator(`[data-testid="topology-node"][data-name="${link.target}"]`);
    const edge = page.locator(`[data-testid="topology-edge"][data-source="${link.source}"][data-target="${link.target}"]`);
    await expect(edge).toHaveAttribute("data-status", "ACTIVE");
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    try {
      await sql("update instance set health = 'DOWN' where name = $1", [link.target]);
      await sql(
        `update replication_link set status = 'BROKEN', lag_seconds = 321 where source_id = (select id from instance where name = $1)
           and target_id = (select id from instance where name = $2)`,
        [link.source, link.target],
      );
      await expect(node).toHaveAttribute("data-health", "DOWN", { timeout: 5_000 });
      await expect(edge).toHaveAttribute("data-status", "BROKEN", { timeout: 5_000 });
      await expect(edge).toHaveAttribute("data-lag-seconds", "321");
      expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
      await page.screenshot({ path: test.info().outputPath("topology-live.png") });
    } finally {
      await sql("update instance set health = $2::\"HealthStatus\" where name = $1", [link.target, before!.health]);
      await sql(
        `update replication_link set status = 'ACTIVE', lag_seconds = $3 where source_id = (select id from instance where name = $1)
           and target_id = (select id from instance where name = $2)`,
        [link.source, link.target, before!.lag],
      );
    }
  });
});
