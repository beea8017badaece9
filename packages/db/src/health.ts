// Light entry for health checks: no schema engine, no WebAssembly.
export { migrationStatus, type TMigrationStatus, type TQuery } from "./migrations/status";
export { findRepoRoot, prismaPaths } from "./migrations/paths";
