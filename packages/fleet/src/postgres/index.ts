export { createPostgresDriver, type TPostgresActionGroup, type TPostgresDriverDeps, type TPostgresDriverOptions } from "./postgres-driver";
export { clientConfig, connectInstance, describePgError, loadInstanceTarget, parseEndpoint, type TInstanceTarget, type TPostgresAccess } from "./connect";
export { linkIdFromName, MERIDIAN_PREFIX, publicationName, replicationRoleName, slotName, subscriptionName } from "./names";
export {
  findLinkRow,
  LINK_ACTION_NAMES,
  linkActions,
  runLinkVerification,
  setLinkPaused,
  storeLinkVerification,
  type TPauseResult,
} from "./link-actions";
export { preflightLink, type TPreflightCode, type TPreflightInput, type TPreflightProblem, type TPreflightResult } from "./preflight";
export { type TLinkVerification, type TTableVerification } from "./verify-data";
export { createTableSql, readTableDefs, type TColumnDef, type TTableDef } from "./catalog-copy";
