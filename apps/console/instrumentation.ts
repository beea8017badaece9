/**
 * Next's instrumentation hook: `register()` runs once when a server instance starts. In the
 * Node.js runtime it starts the background work of the console process (the execution worker
 * and the webhook deliverer, src/server/background.ts). Never at build time: `next build`
 * needs no database.
 */
export async function register(): Promise<void> {
  // Next's own variables, read as Next documents (a literal `process.env.NEXT_RUNTIME` lets it
  // drop the Node.js branch from the edge bundle); Meridian's configuration comes from env().
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startBackgroundWork } = await import("./src/server/background");
  startBackgroundWork();
}
