export { createCollector, type TCollector, type TCollectorOptions, type TCycleResult, type TInstancePoll } from "./collector";
export { HYSTERESIS, nextHealth, observedRoleOf, driftOf, observeLink, formatBytes, NEW_LINK_GRACE_MS, type THealth, type TDrift } from "./evaluate";
export { probeInstance, PROBE_SQL, type TProbeResult } from "./probe";
export { parseCredentialKey } from "../credentials";
