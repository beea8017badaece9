import { type TRole } from "./roles";

/**
 * The permission table: every action a procedure can declare, and the roles allowed to
 * perform it. Default deny: an action missing here, or a role missing from its list, is
 * refused. `mutates` marks actions that change state (the read-only leadership role must
 * never hold one; a unit test checks it).
 */
const ALL: readonly TRole[] = ["ADMIN", "DBA", "ENGINEER", "TEAM_APPROVER", "COMPLIANCE", "VIEWER"];

export const PERMISSIONS = {
  "inventory.read": { roles: ALL, mutates: false, description: "Browse data centers, clusters and instances" },
  "topology.read": { roles: ALL, mutates: false, description: "See the map and the replication topology" },
  "dashboard.read": { roles: ALL, mutates: false, description: "Read fleet dashboards" },
  "me.read": { roles: ALL, mutates: false, description: "Read one's own profile and roles" },
  "dataCenter.updateStatus": {
    roles: ["ADMIN", "DBA"],
    mutates: true,
    description: "Set a data center's status (ACTIVE, DRAINING, MAINTENANCE, OFFLINE)",
  },
  "audit.read": { roles: ["ADMIN", "DBA", "COMPLIANCE"], mutates: false, description: "Read the audit trail" },
} as const satisfies Record<string, { roles: readonly TRole[]; mutates: boolean; description: string }>;

export type TPermission = keyof typeof PERMISSIONS;

export function isPermission(value: unknown): value is TPermission {
  return typeof value === "string" && Object.hasOwn(PERMISSIONS, value);
}

/** True when any of `roles` may perform `permission`. Unknown permissions are denied. */
export function can(roles: readonly TRole[], permission: string): boolean {
  if (!isPermission(permission)) return false;
  const allowed: readonly TRole[] = PERMISSIONS[permission].roles;
  return roles.some((role) => allowed.includes(role));
}

export function permissionsOf(roles: readonly TRole[]): TPermission[] {
  return (Object.keys(PERMISSIONS) as TPermission[]).filter((p) => can(roles, p));
}
