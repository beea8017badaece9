import { expect, signIn, sql, test } from "../fixtures";
import { fileSwitchover, switchoverTarget } from "./change-helpers";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

test("plan steps name the cluster and instances they touch; the ids are one click away", async ({ page, context }) => {
  const target = await switchoverTarget();
  const [replica] = await sql<{ name: string }>("SELECT name FROM instance WHERE id = $1", [target.replicaId]);
  await signIn(page, "engineer");
  await fileSwitchover(page, target, `Switchover of ${target.clusterName}, named steps`);

  const steps = page.getByTestId("plan-step");
  await expect(steps.first()).toBeVisible();
  const inputs = page.getByTestId("plan-step-inputs");
  // Names instead of raw ids: the cluster by name, the replica by name, no uuid in the text.
  await expect(inputs.filter({ hasText: target.clusterName }).first()).toBeVisible();
  await expect(inputs.filter({ hasText: replica!.name }).first()).toBeVisible();
  for (const text of await inputs.allInnerTexts()) expect(text).not.toMatch(UUID);

  // The ids behind the names: a disclosure with the full id and a copy button.
  const first = steps.first();
  const ids = first.getByTestId("plan-step-ids");
  await expect(ids.getByText(target.clusterId)).toBeHidden();
  await ids.locator("summary").click();
  await expect(ids.getByText(target.clusterId)).toBeVisible();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await ids.getByRole("button", { name: new RegExp(`Copy the id of cluster ${target.clusterName}`) }).click();
  await expect(ids.getByRole("button", { name: new RegExp(`Copy the id of cluster`) })).toHaveText("copied");
  await page.screenshot({ path: test.info().outputPath("plan-names.png") });
});
