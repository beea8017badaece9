export {
  ActionError,
  DuplicateSideEffectError,
  abortReason,
  sleep,
  type TActionContext,
  type TDeferredWrite,
  type TPrefetch,
  type TDriverAction,
  type TJsonObject,
  type TJsonValue,
  type TSql,
  type TStepDriver,
  type TStepPhase,
} from "./driver";
export {
  createSimulatedDriver,
  SIMULATED_DURATIONS_MS,
  type TSimulatedDriver,
  type TSimulatedDriverOptions,
} from "./simulated/simulated-driver";
export { SIMULATED_ACTION_MUTATES, SIMULATED_ACTION_NAMES, NEW_LINK_LAG_SECONDS, statementsHashOf } from "./simulated/actions";
export { FAULT_KINDS, ZFaultSchema, parseFaults, type TFault, type TFaultInput } from "./simulated/faults";
export { assertFleetSchema, isUniqueViolation, listSideEffects, recordSideEffect, type TSideEffectRow } from "./ledger";
export { createFleetDriver, INVENTORY_ONLY_ACTIONS, type TFleetDriverOptions } from "./fleet-driver";
export { createRoutingDriver, driverKindForStep, type TDriverKind } from "./routing-driver";
export { CredentialError, decryptCredential, encryptCredential, parseCredentialKey, ZPostgresCredentialSchema, type TPostgresCredential } from "./credentials";
export * from "./postgres";
