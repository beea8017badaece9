import http from "node:http";
import { type AddressInfo } from "node:net";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEADER, install, resolveClientAddress } from "../../scripts/client-address.mjs";

/** The address the sign-in throttle counts against cannot be forged by a direct client. */
let server: http.Server;
let port: number;

function otherAddress(): string | null {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return null;
}

function ask(host: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host, port, path: "/", headers }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

beforeAll(async () => {
  install("");
  server = http.createServer((req, res) => res.end(String(req.headers[HEADER])));
  await new Promise<void>((r) => server.listen(0, "0.0.0.0", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe("client address of a request", () => {
  it("behind a proxy on loopback: the address that proxy appended", async () => {
    expect(await ask("127.0.0.1", { "x-forwarded-for": "1.2.3.4, 203.0.113.9" })).toBe("203.0.113.9");
    expect(await ask("127.0.0.1", {})).toBe("127.0.0.1");
  });

  it("a direct client from another machine cannot choose its address", async ({ skip }) => {
    const address = otherAddress();
    if (!address) skip("no address besides loopback here");
    expect(await ask(address!, { "x-forwarded-for": "1.2.3.4", [HEADER]: "5.6.7.8" })).toBe(address);
  });

  it("trusts X-Forwarded-For only from listed proxies", () => {
    expect(resolveClientAddress("10.0.0.7", "1.2.3.4", new Set(["10.0.0.7"]))).toBe("1.2.3.4");
    expect(resolveClientAddress("::ffff:10.0.0.8", "1.2.3.4", new Set(["10.0.0.7"]))).toBe("10.0.0.8");
    expect(resolveClientAddress(undefined, undefined, new Set())).toBe("unknown");
  });
});
