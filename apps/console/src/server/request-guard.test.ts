import { describe, expect, it } from "vitest";
import { crossSiteRefusal, isHttps, pageContentSecurityPolicy } from "./request-guard";
import { tooManyAttemptsMessage, signInErrorMessage } from "../features/auth/sign-in-errors";

const ORIGIN = "http://127.0.0.1:3000";
const req = (method: string, headers: Record<string, string>) => ({ method, headers: new Headers(headers), origin: ORIGIN });

describe("cross-site request refusal", () => {
  it("refuses a mutation from another origin or site, before any work", () => {
    expect(crossSiteRefusal(req("POST", { origin: "http://evil.example", cookie: "s=1" }))).toMatch(/Origin: http:\/\/evil.example/);
    expect(crossSiteRefusal(req("POST", { "sec-fetch-site": "cross-site", cookie: "s=1" }))).toMatch(/cross-site/);
    expect(crossSiteRefusal(req("POST", { "sec-fetch-site": "same-site", origin: "http://other.127.0.0.1:3000" }))).toMatch(/same-site/);
    expect(crossSiteRefusal(req("DELETE", { origin: "null", cookie: "s=1" }))).toMatch(/Origin: null/);
    // A bearer header does not excuse a request that also carries the browser's cookies.
    expect(crossSiteRefusal(req("POST", { origin: "http://evil.example", authorization: "Bearer x", cookie: "s=1" }))).not.toBeNull();
  });

  it("lets same-origin requests, safe methods and bearer API clients through", () => {
    expect(crossSiteRefusal(req("POST", { origin: ORIGIN, "sec-fetch-site": "same-origin", cookie: "s=1" }))).toBeNull();
    expect(crossSiteRefusal(req("GET", { origin: "http://evil.example", "sec-fetch-site": "cross-site" }))).toBeNull();
    expect(crossSiteRefusal(req("POST", { authorization: "Bearer mrd_abc", origin: "http://evil.example" }))).toBeNull();
    expect(crossSiteRefusal(req("POST", { origin: "https://meridian.example.com" }), ["https://meridian.example.com/"])).toBeNull();
  });
});

describe("security headers", () => {
  it("the production page policy has a nonce, no unsafe-eval, and forbids framing", () => {
    const csp = pageContentSecurityPolicy("abc123", { development: false });
    expect(csp).toContain("'nonce-abc123'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(pageContentSecurityPolicy("n", { development: true })).toContain("'unsafe-eval'");
  });

  it("HSTS only over https", () => {
    expect(isHttps({ protocol: "http:", headers: new Headers() })).toBe(false);
    expect(isHttps({ protocol: "http:", headers: new Headers({ "x-forwarded-proto": "https" }) })).toBe(true);
    expect(isHttps({ protocol: "https:", headers: new Headers() })).toBe(true);
  });
});

describe("sign-in throttle message", () => {
  it("says how long to wait", () => {
    expect(signInErrorMessage("TooManyAttempts.12")).toBe("Too many attempts, try again in 12 minutes.");
    expect(tooManyAttemptsMessage("TooManyAttempts.1")).toBe("Too many attempts, try again in 1 minute.");
    expect(tooManyAttemptsMessage("CredentialsSignin")).toBeNull();
  });
});
