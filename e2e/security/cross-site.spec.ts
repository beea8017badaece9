import { expect, signIn, sql, test } from "../fixtures";

/**
 * Cross-site request forgery: a mutation sent from another origin is refused (403) before any
 * work, whatever form it takes; same-origin calls and bearer-token API clients keep working.
 */
const MUTATION = "/api/trpc/inventory.updateDataCenterStatus";

async function activeDataCenter(): Promise<string> {
  const [dc] = await sql<{ code: string }>("select code from data_center where status = 'ACTIVE' order by code limit 1");
  return dc!.code;
}

async function statusOf(code: string): Promise<string> {
  const [row] = await sql<{ status: string }>("select status from data_center where code = $1", [code]);
  return row!.status;
}

test.describe("cross-site requests", () => {
  test("a form post from another origin, in the browser, is refused and changes nothing", async ({ page, baseURL }) => {
    const code = await activeDataCenter();
    await signIn(page, "dba");
    // A page on another site (served by Playwright) posts a form to the console, the classic
    // forgery: text/plain so that the body is the JSON tRPC expects.
    await page.route("http://evil.example/**", (route) =>
      route.fulfill({ contentType: "text/html", body: "<!doctype html><title>win a prize</title><body></body>" }),
    );
    await page.goto("http://evil.example/");
    const target = `${baseURL}${MUTATION}`;
    const response = page.waitForResponse((r) => r.url() === target && r.request().method() === "POST");
    await page.evaluate(
      ([action, value]) => {
        const form = document.createElement("form");
        form.method = "POST";
        form.action = action;
        form.enctype = "text/plain";
        const input = document.createElement("input");
        input.name = '{"json":{"code":"' + value + '","status":"OFFLINE","x":"';
        input.value = '"}}';
        form.append(input);
        document.body.append(form);
        form.submit();
      },
      [target, code] as const,
    );
    expect((await response).status()).toBe(403);
    expect(await statusOf(code)).toBe("ACTIVE");
  });

  test("a text/plain fetch, a form post and a JSON post with a foreign Origin or Sec-Fetch-Site get 403", async ({ page }) => {
    const code = await activeDataCenter();
    await signIn(page, "dba");
    const body = JSON.stringify({ json: { code, status: "OFFLINE" } });
    const attempts: Array<{ headers: Record<string, string>; data?: string; form?: Record<string, string> }> = [
      { headers: { "content-type": "text/plain", origin: "http://evil.example" }, data: body },
      { headers: { "content-type": "text/plain", "sec-fetch-site": "cross-site" }, data: body },
      { headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://evil.example", "sec-fetch-site": "cross-site" }, form: { code, status: "OFFLINE" } },
      { headers: { "content-type": "application/json", origin: "http://evil.example" }, data: body },
      { headers: { "content-type": "application/json", origin: "null" }, data: body },
    ];
    for (const attempt of attempts) {
      // page.request carries the signed-in browser's cookies.
      const res = await page.request.post(MUTATION, attempt);
      expect(res.status(), JSON.stringify(attempt.headers)).toBe(403);
      expect(await res.text()).toContain("Cross-site request refused");
    }
    expect(await statusOf(code)).toBe("ACTIVE");
  });

  test("the same mutation from the console's own page works", async ({ page }) => {
    const code = await activeDataCenter();
    await signIn(page, "dba");
    const status = await page.evaluate(
      async ([url, c]) => {
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: { code: c, status: "MAINTENANCE" } }) });
        return res.status;
      },
      [MUTATION, code] as const,
    );
    expect(status).toBe(200);
    expect(await statusOf(code)).toBe("MAINTENANCE");
    await sql("update data_center set status = 'ACTIVE' where code = $1", [code]);
  });

  test("an API client with a bearer token and no cookie is not taken for a cross-site browser", async ({ playwright, baseURL }) => {
    const api = await playwright.request.newContext({ baseURL });
    const res = await api.post(MUTATION, {
      headers: { authorization: "Bearer not-a-real-token", "content-type": "application/json", origin: "http://elsewhere.example" },
      data: JSON.stringify({ json: { code: "XX", status: "OFFLINE" } }),
    });
    // Past the cross-site guard; refused by authentication instead.
    expect(res.status()).not.toBe(403);
    expect(res.status()).toBe(401);
    await api.dispose();
  });
});
