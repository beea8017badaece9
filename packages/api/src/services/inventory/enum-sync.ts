import type {
  DataCenterStatus,
  DataClassification,
  DriverKind,
  Engine,
  HealthStatus,
  InstanceRole,
  LinkStatus,
  ReplicationMode,
  Tier,
} from "@meridian/db";
import type {
  TDataCenterStatus,
  TDataClassification,
  TDriverKind,
  TEngine,
  THealthStatus,
  TInstanceRole,
  TLinkStatus,
  TReplicationMode,
  TTier,
} from "../../routers/inventory/inventory.schema";

/**
 * Compile-time check that the enum values the request schemas accept are exactly the
 * metadata schema's enums. A new value in schema.prisma breaks the typecheck here.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const ENUMS_IN_SYNC: [
  Same<TDataCenterStatus, DataCenterStatus>,
  Same<THealthStatus, HealthStatus>,
  Same<TEngine, Engine>,
  Same<TTier, Tier>,
  Same<TDataClassification, DataClassification>,
  Same<TInstanceRole, InstanceRole>,
  Same<TDriverKind, DriverKind>,
  Same<TReplicationMode, ReplicationMode>,
  Same<TLinkStatus, LinkStatus>,
] = [true, true, true, true, true, true, true, true, true];
