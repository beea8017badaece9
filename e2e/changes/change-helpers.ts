import { type Page } from "@playwright/test";
import { expect, sql } from "../fixtures";

/** Calls a tRPC procedure from inside the page, with the page's session cookie. */
export async function trpcCall(page: Page, path: string, input: unknown, type: "query" | "mutation" = "mutation") {
  return page.evaluate(
    async ([p, i, t]) => {
      const url = t === "query" ? `/api/trpc/${p}?input=${encodeURIComponent(JSON.stringify({ json: i }))}` : `/api/trpc/${p}`;
      const res = await fetch(url, {
        method: t === "query" ? "GET" : "POST",
        headers: { "content-type": "application/json" },
        body: t === "query" ? undefined : JSON.stringify({ json: i }),
      });
      return { status: res.status, body: await res.text() };
    },
    [path, input, type] as const,
  );
}

export interface TSwitchoverTarget {
  clusterId: string;
  clusterName: string;
  replicaId: string;
}

/**
 * A cluster of the demo team `payments` whose SWITCHOVER always needs the team approver and a
 * DBA: T3, not PII/REGULATED, two healthy instances. Its score is 3 (switchover) + 0..1
 * (classification) + 0..1 (replica across a border) + 0..3 (time of day and weekend), so
 * MEDIUM, or HIGH at night on a weekend (then the policy asks for a second DBA); never LOW
 * when the score starts at 4 or more, which the query makes sure of.
 */
export async function switchoverTarget(): Promise<TSwitchoverTarget> {
  const rows = await sql<{ cluster_id: string; cluster_name: string; replica_id: string }>(
    `SELECT c.id AS cluster_id, c.name AS cluster_name, r.id AS replica_id
       FROM cluster c
       JOIN team t ON t.id = c.team_id AND t.slug = 'payments'
       JOIN instance r ON r.cluster_id = c.id AND r.role = 'REPLICA' AND r.health = 'UP'
       JOIN replication_link l ON l.target_id = r.id AND l.status = 'ACTIVE' AND l.lag_seconds < 5
       JOIN instance p ON p.cluster_id = c.id AND p.role = 'PRIMARY'
       JOIN data_center pd ON pd.id = p.data_center_id
       JOIN data_center rd ON rd.id = r.data_center_id
      WHERE c.tier = 'T3' AND c.classification IN ('PUBLIC', 'INTERNAL', 'CONFIDENTIAL')
        AND (SELECT count(*) FROM instance i WHERE i.cluster_id = c.id) = 2
        AND NOT EXISTS (SELECT 1 FROM instance i WHERE i.cluster_id = c.id AND i.health <> 'UP')
        -- base score at least 4: CONFIDENTIAL data, or a replica across a border
        AND (c.classification = 'CONFIDENTIAL' OR pd.jurisdiction_code <> rd.jurisdiction_code)
      ORDER BY c.name LIMIT 1`,
  );
  const row = rows[0];
  if (!row) throw new Error("the demo fleet has no suitable payments cluster for a SWITCHOVER");
  return { clusterId: row.cluster_id, clusterName: row.cluster_name, replicaId: row.replica_id };
}

/** Files a SWITCHOVER through the form and lands on the draft's page; returns its number. */
export async function fileSwitchover(page: Page, target: TSwitchoverTarget, title: string): Promise<number> {
  await page.goto("/changes/new?kind=SWITCHOVER");
  await page.getByLabel("Cluster", { exact: true }).selectOption(target.clusterId);
  await page.getByLabel("Replica to promote").selectOption(target.replicaId);
  await page.getByLabel("Title (optional)").fill(title);
  await page.getByTestId("save-change").click();
  await page.waitForURL(/\/changes\/\d+$/);
  await expect(page.getByTestId("change-status")).toHaveAttribute("data-status", "DRAFT");
  return Number(/\/changes\/(\d+)$/.exec(page.url())![1]);
}

/** Submits the request shown on the page, through the confirmation dialog. */
export async function submitShown(page: Page, number: number): Promise<void> {
  await page.getByTestId("submit-change").click();
  await page.getByRole("button", { name: `Submit CR-${number}` }).click();
  await expect(page.getByTestId("change-status")).toHaveAttribute("data-status", "PENDING_APPROVAL");
}

/** Approves one stage of the request shown on the page, through the confirmation dialog. */
export async function approveStage(page: Page, number: number, stage: string, comment = ""): Promise<void> {
  await page.getByTestId(`approve-${stage}`).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Approve CR-${number}?`);
  if (comment) await dialog.getByLabel(/comment/i).fill(comment);
  await dialog.getByRole("button", { name: `Approve CR-${number}` }).click();
  await expect(dialog).toBeHidden();
}

export async function statusOf(number: number): Promise<string> {
  const [row] = await sql<{ status: string }>("SELECT status::text AS status FROM change_request WHERE number = $1", [number]);
  return row!.status;
}
