/// <reference lib="webworker" />
import { runLayout, type TLayoutRequest } from "./layouts";

/**
 * Runs dagre off the main thread: the fleet at 10,000 instances lays out while the page stays
 * responsive. One request in, one result out, matched by id.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<{ id: number; request: TLayoutRequest }>) => {
  const { id, request } = event.data;
  try {
    scope.postMessage({ id, result: runLayout(request) });
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
