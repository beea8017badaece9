import { Badge, type TBadgeTone } from "@/components/ui/badge";

export const DATA_CENTER_STATUS_LABELS = {
  ACTIVE: "Active",
  DRAINING: "Draining",
  MAINTENANCE: "Maintenance",
  OFFLINE: "Offline",
} as const;
export type TDataCenterStatus = keyof typeof DATA_CENTER_STATUS_LABELS;

const DATA_CENTER_STATUS_TONES: Record<TDataCenterStatus, TBadgeTone> = {
  ACTIVE: "active",
  DRAINING: "progress",
  MAINTENANCE: "waiting",
  OFFLINE: "done",
};

export const DATA_CENTER_STATUS_HELP: Record<TDataCenterStatus, string> = {
  ACTIVE: "Takes new instances and serves traffic.",
  DRAINING: "Instances are being moved out; takes no new placements.",
  MAINTENANCE: "Planned work in progress; takes no new placements.",
  OFFLINE: "Out of service; nothing should run here.",
};

export function DataCenterStatusBadge({ status }: { status: TDataCenterStatus }) {
  return (
    <Badge tone={DATA_CENTER_STATUS_TONES[status]} dot title={DATA_CENTER_STATUS_HELP[status]}>
      {DATA_CENTER_STATUS_LABELS[status]}
    </Badge>
  );
}

export const LINK_STATUS_LABELS = {
  ACTIVE: "Streaming",
  CATCHING_UP: "Catching up",
  PAUSED: "Paused",
  BROKEN: "Broken",
} as const;
export type TLinkStatus = keyof typeof LINK_STATUS_LABELS;

const LINK_STATUS_TONES: Record<TLinkStatus, TBadgeTone> = {
  ACTIVE: "active",
  CATCHING_UP: "progress",
  PAUSED: "waiting",
  BROKEN: "failed",
};

export function LinkStatusBadge({ status }: { status: TLinkStatus }) {
  return (
    <Badge tone={LINK_STATUS_TONES[status]} dot>
      {LINK_STATUS_LABELS[status]}
    </Badge>
  );
}

export const ENGINE_LABELS = {
  POSTGRESQL: "PostgreSQL",
  MYSQL: "MySQL",
  MARIADB: "MariaDB",
  SQLSERVER: "SQL Server",
  ORACLE: "Oracle",
} as const;
export type TEngine = keyof typeof ENGINE_LABELS;

export const ROLE_LABELS = { PRIMARY: "Primary", REPLICA: "Replica", STANDBY: "Standby" } as const;
export type TInstanceRole = keyof typeof ROLE_LABELS;

export function RoleBadge({ role }: { role: TInstanceRole }) {
  return role === "PRIMARY" ? (
    <Badge tone="emphasis">Primary</Badge>
  ) : (
    <span className="text-zinc-700 dark:text-zinc-300">{ROLE_LABELS[role]}</span>
  );
}

export const TIER_HELP = {
  T0: "T0: most critical",
  T1: "T1: critical",
  T2: "T2: important",
  T3: "T3: least critical",
} as const;
export type TTier = keyof typeof TIER_HELP;

export function TierBadge({ tier }: { tier: TTier }) {
  return (
    <Badge mono tone={tier === "T0" ? "emphasis" : "neutral"} title={TIER_HELP[tier]}>
      {tier}
    </Badge>
  );
}

export const CLASSIFICATION_LABELS = {
  PUBLIC: "Public",
  INTERNAL: "Internal",
  CONFIDENTIAL: "Confidential",
  PII: "PII",
  REGULATED: "Regulated",
} as const;
export type TClassification = keyof typeof CLASSIFICATION_LABELS;

export function ClassificationLabel({ classification }: { classification: TClassification }) {
  const sensitive = classification === "PII" || classification === "REGULATED";
  return (
    <span className="inline-flex items-center gap-1 text-zinc-700 dark:text-zinc-300">
      {sensitive ? (
        <svg viewBox="0 0 12 12" className="size-3 text-zinc-500 dark:text-zinc-400" fill="none" stroke="currentColor" strokeWidth="1.3" aria-hidden="true">
          <rect x="2.5" y="5.25" width="7" height="5" rx="1" />
          <path d="M4 5.25V4a2 2 0 0 1 4 0v1.25" />
        </svg>
      ) : null}
      {CLASSIFICATION_LABELS[classification]}
    </span>
  );
}

export const HEALTH_FILTER_LABELS = { UP: "Up", DEGRADED: "Degraded", DOWN: "Down", UNKNOWN: "Unknown" } as const;
