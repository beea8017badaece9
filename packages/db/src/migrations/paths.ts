import { existsSync } from "node:fs";
import path from "node:path";

/** The repository root: the nearest folder above `start` holding prisma/schema.prisma. */
export function findRepoRoot(start: string = process.cwd()): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, "prisma", "schema.prisma"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No prisma/schema.prisma above ${start}`);
    dir = parent;
  }
}

export interface TPrismaPaths {
  schemaPath: string;
  migrationsDir: string;
}

export function prismaPaths(root: string = findRepoRoot()): TPrismaPaths {
  return { schemaPath: path.join(root, "prisma", "schema.prisma"), migrationsDir: path.join(root, "prisma", "migrations") };
}
