// Prisma 7 configuration for the CLI (generate/validate/studio). Migrations are applied by
// packages/db's own runner (WebAssembly schema engine), not by `prisma migrate`.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
});
