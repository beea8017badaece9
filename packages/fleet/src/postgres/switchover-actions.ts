import { type TPostgresActionGroup } from "./postgres-driver";

/** fenceWrites, unfenceWrites, promoteReplica, demoteToReplica, repointLink on real servers (to be built). */
export const switchoverActions: TPostgresActionGroup = () => ({});
