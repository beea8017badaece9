import { type TPostgresActionGroup } from "./postgres-driver";

/** applySchemaChange, verifySchema on real servers (to be built). */
export const schemaActions: TPostgresActionGroup = () => ({});
