import { type TPostgresActionGroup } from "./postgres-driver";

/** createLink, dropLink, checkLink, waitForCatchUp, verifyLink and the replica steps on real servers (to be built). */
export const linkActions: TPostgresActionGroup = () => ({});
