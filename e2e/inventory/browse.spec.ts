import { count, expect, signIn, sql, test } from "../fixtures";

test.describe("inventory", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, "engineer");
  });

  test("data centers: the table lists every data center in the database", async ({ page }) => {
    const n = await count("select count(*) from data_center");
    await page.goto("/inventory/data-centers?pageSize=100");
    await expect(page.getByTestId("dc-row")).toHaveCount(n);
    await expect(page.getByTestId("pagination-summary")).toContainText(`of ${n.toLocaleString("en-US")}`);
  });

  test("a jurisdiction filter narrows the rows and lands in the URL", async ({ page }) => {
    const n = await count("select count(*) from data_center where jurisdiction_code = 'EU'");
    await page.goto("/inventory/data-centers?pageSize=100");
    await page.getByLabel("Jurisdiction").selectOption("EU");
    await expect(page).toHaveURL(/jurisdiction=EU/);
    await expect(page.getByTestId("dc-row")).toHaveCount(n);
    // The URL is shareable: a fresh load shows the same view.
    await page.reload();
    await expect(page.getByTestId("dc-row")).toHaveCount(n);
  });

  test("a data center's page lists the clusters that run there", async ({ page }) => {
    const [dc] = await sql<{ code: string; name: string; clusters: number }>(
      `select d.code, d.name, count(distinct i.cluster_id)::int as clusters
         from data_center d join instance i on i.data_center_id = d.id
        group by d.id order by d.code limit 1`,
    );
    await page.goto(`/inventory/data-centers/${dc!.code}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(dc!.name);
    const [sample] = await sql<{ name: string }>(
      `select c.name from cluster c join instance i on i.cluster_id = c.id join data_center d on d.id = i.data_center_id
        where d.code = $1 order by c.name limit 1`,
      [dc!.code],
    );
    await expect(page.getByRole("link", { name: sample!.name }).first()).toBeVisible();
  });

  test("clusters: sorting by name descending puts the alphabetically last cluster on top; pages move", async ({ page }) => {
    const [first] = await sql<{ name: string }>("select name from cluster order by name desc limit 1");
    await page.goto("/inventory/clusters?sort=name&order=desc");
    await expect(page.getByTestId("cluster-row").first()).toContainText(first!.name);
    const n = await count("select count(*) from cluster");
    await expect(page.getByTestId("pagination-summary")).toContainText(`of ${n.toLocaleString("en-US")}`);
    await page.getByRole("link", { name: /next/i }).click();
    await expect(page).toHaveURL(/page=2/);
  });

  test("a cluster's page shows its primary, replicas and links", async ({ page }) => {
    const [cluster] = await sql<{ id: string; name: string; primary_name: string; instances: number }>(
      `select c.id, c.name, p.name as primary_name, (select count(*)::int from instance i where i.cluster_id = c.id) as instances
         from cluster c join instance p on p.cluster_id = c.id and p.role = 'PRIMARY'
        order by c.name limit 1`,
    );
    await page.goto(`/inventory/clusters/${cluster!.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(cluster!.name);
    await expect(page.getByTestId("instance-row")).toHaveCount(cluster!.instances);
    await expect(page.getByTestId("instance-row").filter({ hasText: cluster!.primary_name })).toContainText(/primary/i);
  });

  test("instances: a health filter shows only instances in that state", async ({ page }) => {
    const n = await count("select count(*) from instance where health = 'DOWN'");
    await page.goto("/inventory/instances?health=DOWN&pageSize=200");
    await expect(page.getByTestId("pagination-summary")).toContainText(`of ${n.toLocaleString("en-US")}`);
    const rows = page.getByTestId("instance-row");
    await expect(rows).toHaveCount(Math.min(n, 200));
    for (const text of await rows.allInnerTexts()) expect(text).toMatch(/down/i);
  });
});
