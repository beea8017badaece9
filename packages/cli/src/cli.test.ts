import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { createTestDatabase, type TTestDatabase } from "@meridian/db/testing";
import { createRestHandler } from "@meridian/api/rest";
import {
  approveAsPolicyApprovers,
  createTeamToken,
  setupTeamApiFixture,
  startSimulatedWorker,
  type TTeamApiFixture,
} from "@meridian/api/testing";
import { renderClientTypes } from "../scripts/render-client-types";
import { run } from "./program";
import { EXIT } from "./io";

let db: TTestDatabase;
let fx: TTeamApiFixture;
let server: Server;
let url: string;
let token: string;
let dir: string;
let worker: { stop: () => Promise<void> } | null = null;

/** The team API in this process: http.createServer around the same route handler as the console's. */
function serve(handler: (req: Request) => Promise<Response>): Promise<Server> {
  const s = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await handler(
      new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: body.length > 0 ? body : undefined }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
}

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await setupTeamApiFixture(db.prisma);
  // Filed by the admin's token: the team approver can then approve (a requester never approves).
  token = await createTeamToken(db.prisma, "admin", fx.team.slug, ["read", "changes:write"]);
  server = await serve(createRestHandler({ prisma: db.prisma }));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(path.join(os.tmpdir(), "meridian-cli-"));
}, 240_000);
afterEach(async () => {
  await worker?.stop();
  worker = null;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await db?.drop();
});

async function cli(args: string[], env: Record<string, string> = {}) {
  let out = "";
  let err = "";
  const code = await run(args, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    env: { MERIDIAN_CONFIG: path.join(dir, "config.json"), ...env },
    isTTY: false,
  });
  return { code, out, err };
}

function writeFile(name: string, content: unknown, format: "yaml" | "json" = "yaml"): string {
  const file = path.join(dir, name);
  writeFileSync(file, format === "yaml" ? `# yaml-language-server: $schema=${url}/api/v1/change-file.schema.json\n${stringify(content)}` : JSON.stringify(content));
  return file;
}

describe("meridian login and errors", () => {
  it("saves URL and token (owner-only file) after checking the token", async () => {
    const res = await cli(["login", "--url", url, "--token", token]);
    expect(res.code, res.err).toBe(EXIT.OK);
    expect(res.out).toContain(`of team`);
    expect(res.out).toContain("scopes: changes:write, read");
    const file = path.join(dir, "config.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ url, token });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("says clearly what is wrong: bad token, expired token, network error", async () => {
    const bad = await cli(["fleet", "ls"], { MERIDIAN_TOKEN: "mrd_abcdefghijkl_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" });
    expect(bad.code).toBe(EXIT.AUTH);
    expect(bad.err).toMatch(/The API token is not valid/);
    const expired = await cli(["fleet", "ls"], { MERIDIAN_TOKEN: fx.tokens.expired });
    expect(expired.code).toBe(EXIT.AUTH);
    expect(expired.err).toMatch(/The API token has expired/);
    const revoked = await cli(["fleet", "ls"], { MERIDIAN_TOKEN: fx.tokens.revoked });
    expect(revoked.err).toMatch(/was revoked/);
    const closed = await serve(async () => new Response(null));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const down = await cli(["fleet", "ls", "--url", `http://127.0.0.1:${port}`]);
    expect(down.code).toBe(EXIT.NETWORK);
    expect(down.err).toContain(`Cannot reach Meridian at http://127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it("refuses a cluster of another team with a clear word", async () => {
    const res = await cli(["changes", "plan", writeFile("foreign.yaml", fx.foreignFile)]);
    expect(res.code).toBe(EXIT.AUTH);
    expect(res.err).toMatch(/Forbidden cluster/);
  });
});

describe("meridian fleet ls", () => {
  it("lists the team's clusters as a table and as JSON", async () => {
    const res = await cli(["fleet", "ls"]);
    expect(res.code).toBe(EXIT.OK);
    expect(res.out.split("\n")[0]).toMatch(/^CLUSTER\s+ENGINE/);
    for (const name of fx.teamClusters) expect(res.out).toContain(name);
    const json = await cli(["fleet", "ls", "--json"]);
    expect((JSON.parse(json.out) as { name: string }[]).map((c) => c.name)).toEqual([...fx.teamClusters].sort());
  });
});

describe("meridian changes plan / apply / wait", () => {
  it("plan is a dry run: plan, risk, residency; nothing is filed", async () => {
    const before = await db.prisma.changeRequest.count();
    const res = await cli(["changes", "plan", writeFile("switchover.yaml", fx.switchoverFile)]);
    expect(res.code, res.err).toBe(EXIT.OK);
    expect(res.out).toMatch(/Plan [0-9a-f]{12} \(\d+ steps\)/);
    expect(res.out).toMatch(/Risk: (LOW|MEDIUM|HIGH|CRITICAL)/);
    expect(res.out).toMatch(/Residency: (WITHIN_HOME|CROSSES_WITHIN_POLICY)/);
    expect(await db.prisma.changeRequest.count()).toBe(before);
  });

  it("plan of a change that residency blocks prints the rule and exits 1", async () => {
    expect(fx.blockedFile).not.toBeNull();
    const res = await cli(["changes", "plan", writeFile("blocked.json", fx.blockedFile, "json")]);
    expect(res.code).toBe(EXIT.CHANGE_FAILED);
    expect(res.err).toMatch(/^Blocked by residency: \S+/);
  });

  it("cancel, then wait exits non-zero", async () => {
    const file = writeFile("cancel.yaml", { ...fx.switchoverFile, reason: "Filed then cancelled" });
    const applied = await cli(["changes", "apply", file, "--no-submit", "--json"]);
    const number = (JSON.parse(applied.out) as { number: number }).number;
    const cancelled = await cli(["changes", "cancel", String(number), "--reason", "not this week"]);
    expect(cancelled.code, cancelled.err).toBe(EXIT.OK);
    expect(cancelled.out).toContain("CANCELLED");
    const waited = await cli(["changes", "wait", String(number)]);
    expect(waited.code).toBe(EXIT.CHANGE_FAILED);
  });
  it("apply files and submits once for the same file; wait exits 0 when the execution succeeds", async () => {
    const file = writeFile("apply.yaml", { ...fx.switchoverFile, reason: "Drill from the pipeline" });
    const before = await db.prisma.changeRequest.count();
    const first = await cli(["changes", "apply", file]);
    expect(first.code, first.err).toBe(EXIT.OK);
    const number = Number(/CR-(\d+)/.exec(first.out)?.[1]);
    expect(first.out).toContain("PENDING_APPROVAL");
    const second = await cli(["changes", "apply", file, "--json"]);
    expect(second.code, second.err).toBe(EXIT.OK);
    expect((JSON.parse(second.out) as { number: number }).number).toBe(number);
    expect(await db.prisma.changeRequest.count()).toBe(before + 1);

    const list = await cli(["changes", "list", "--limit", "5"]);
    expect(list.out).toContain(`CR-${number}`);
    const show = await cli(["changes", "show", `CR-${number}`]);
    expect(show.out).toMatch(/via token cli-/);

    expect(await approveAsPolicyApprovers(db.prisma, number)).toBe("APPROVED");
    worker = startSimulatedWorker(db.url);
    const waited = await cli(["changes", "wait", String(number), "--interval", "0.1", "--timeout", "90"]);
    expect(waited.code, waited.out + waited.err).toBe(EXIT.OK);
    expect(waited.out).toMatch(/step \d+ of \d+ · RUNNING · \d\d:\d\d/);
    expect(waited.out).toMatch(/\[#+-*\]/);
    expect(waited.out.trim().split("\n").at(-1)).toBe(`CR-${number} SUCCEEDED`);
  });

  it("wait exits non-zero when the change is rolled back", async () => {
    const clusters = await db.prisma.cluster.findMany({
      where: { teamId: fx.team.id, name: { not: fx.switchoverFile.target.cluster } },
      orderBy: { name: "asc" },
      select: { name: true, instances: { select: { name: true, role: true, health: true } } },
    });
    const target = clusters.find((c) => c.instances.some((i) => i.role === "PRIMARY" && i.health === "UP") && c.instances.some((i) => i.role === "REPLICA" && i.health === "UP"));
    expect(target).toBeDefined();
    const replica = target!.instances.find((i) => i.role === "REPLICA" && i.health === "UP")!;
    const file = writeFile("failing.yaml", {
      kind: "SWITCHOVER",
      target: { cluster: target!.name },
      parameters: { replicaInstanceId: replica.name, maxLagSeconds: 3600 },
      reason: "A switchover whose promotion fails",
    });
    const applied = await cli(["changes", "apply", file, "--json"]);
    expect(applied.code, applied.err).toBe(EXIT.OK);
    const number = (JSON.parse(applied.out) as { number: number }).number;
    expect(await approveAsPolicyApprovers(db.prisma, number)).toBe("APPROVED");
    worker = startSimulatedWorker(db.url, [{ kind: "fail", stepIndex: 1, retryable: false, message: "promotion refused" }]);
    const waited = await cli(["changes", "wait", String(number), "--interval", "0.1", "--timeout", "90"]);
    expect(waited.code, waited.out + waited.err).toBe(EXIT.CHANGE_FAILED);
    expect(waited.out).toMatch(new RegExp(`CR-${number} (ROLLED_BACK|FAILED)`));
  });

});

describe("generated client", () => {
  it("is generated from the current OpenAPI document (run `pnpm --filter @meridian/cli generate:client`)", async () => {
    const committed = readFileSync(new URL("./generated/api.ts", import.meta.url), "utf8");
    expect(committed).toBe(await renderClientTypes());
  });
});
