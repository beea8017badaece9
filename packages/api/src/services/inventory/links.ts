import { type Prisma } from "@meridian/db";
import {
  type THealthStatus,
  type TInstanceRole,
  type TLinkStatus,
  type TReplicationMode,
} from "../../routers/inventory/inventory.schema";

export interface TLinkEnd {
  id: string;
  name: string;
  role: TInstanceRole;
  health: THealthStatus;
  clusterName: string;
  dataCenterCode: string;
  jurisdictionCode: string;
}

export interface TReplicationLinkView {
  id: string;
  mode: TReplicationMode;
  status: TLinkStatus;
  lagSeconds: number;
  lagBytes: number;
  updatedAt: Date;
  source: TLinkEnd;
  target: TLinkEnd;
  crossesDataCenter: boolean;
  crossesJurisdiction: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export const LINK_END_SELECT = {
  id: true,
  name: true,
  role: true,
  health: true,
  cluster: { select: { name: true } },
  dataCenter: { select: { code: true, jurisdictionCode: true } },
} as const satisfies Prisma.InstanceSelect;

type TLinkEndRow = Prisma.InstanceGetPayload<{ select: typeof LINK_END_SELECT }>;

export function toLinkEnd(row: TLinkEndRow): TLinkEnd {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    health: row.health,
    clusterName: row.cluster.name,
    dataCenterCode: row.dataCenter.code,
    jurisdictionCode: row.dataCenter.jurisdictionCode,
  };
}

export const LINK_SELECT = {
  id: true,
  mode: true,
  status: true,
  lagSeconds: true,
  lagBytes: true,
  updatedAt: true,
  source: { select: LINK_END_SELECT },
  target: { select: LINK_END_SELECT },
} as const satisfies Prisma.ReplicationLinkSelect;

type TLinkRow = Prisma.ReplicationLinkGetPayload<{ select: typeof LINK_SELECT }>;

export function toLinkView(row: TLinkRow): TReplicationLinkView {
  const source = toLinkEnd(row.source);
  const target = toLinkEnd(row.target);
  return {
    id: row.id,
    mode: row.mode,
    status: row.status,
    lagSeconds: row.lagSeconds,
    // BigInt in the database; plain numbers on the wire (exact below 8 PiB).
    lagBytes: Number(row.lagBytes),
    updatedAt: row.updatedAt,
    source,
    target,
    crossesDataCenter: source.dataCenterCode !== target.dataCenterCode,
    crossesJurisdiction: source.jurisdictionCode !== target.jurisdictionCode,
  };
}

