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
  "user.manage": {
    roles: ["ADMIN"],
    mutates: true,
    description: "Change a user's roles, disable or enable an account (revokes the user's open sessions; audited)",
  },
  "dataCenter.updateStatus": {
    roles: ["ADMIN", "DBA"],
    mutates: true,
    description: "Set a data center's status (ACTIVE, DRAINING, MAINTENANCE, OFFLINE)",
  },
  "audit.read": { roles: ["ADMIN", "DBA", "COMPLIANCE"], mutates: false, description: "Read the audit trail" },
  "audit.verify": {
    roles: ["ADMIN", "DBA", "COMPLIANCE"],
    mutates: true,
    description: "Verify the audit hash chain (the verification itself is audited)",
  },
  "changeRequest.read": { roles: ALL, mutates: false, description: "See change requests, their plans, risk and approvals" },
  "changeRequest.create": {
    roles: ["ADMIN", "DBA", "ENGINEER", "TEAM_APPROVER"],
    mutates: true,
    description: "File, edit and submit change requests (engineers: for their teams' clusters)",
  },
  "changeRequest.breakGlass": {
    roles: ["DBA"],
    mutates: true,
    description: "File an emergency FAILOVER on the break-glass path (one DBA approves; reviewed afterwards)",
  },
  "changeRequest.approve": {
    roles: ["ADMIN", "DBA", "TEAM_APPROVER", "COMPLIANCE"],
    mutates: true,
    description: "Approve or reject change requests in the stages one qualifies for",
  },
  "changeRequest.cancel": {
    roles: ["ADMIN", "DBA", "ENGINEER", "TEAM_APPROVER"],
    mutates: true,
    description: "Cancel a change request (one's own; DBAs and admins: any)",
  },
  "changeRequest.comment": {
    roles: ["ADMIN", "DBA", "ENGINEER", "TEAM_APPROVER", "COMPLIANCE"],
    mutates: true,
    description: "Comment on change requests",
  },
  "changeRequest.review": {
    roles: ["ADMIN", "DBA", "COMPLIANCE"],
    mutates: true,
    description: "Record the after-the-fact review of a break-glass change",
  },
  "approvalPolicy.read": { roles: ALL, mutates: false, description: "See the approval policies" },
  "approvalPolicy.manage": {
    roles: ["ADMIN"],
    mutates: true,
    description: "Create, edit, enable, disable and delete approval policies (audited)",
  },
  "schedule.read": { roles: ALL, mutates: false, description: "See maintenance windows and change freezes" },
  "schedule.manage": {
    roles: ["ADMIN", "DBA"],
    mutates: true,
    description: "Create and delete maintenance windows and change freezes (audited)",
  },
  "apiToken.read": {
    roles: ["ADMIN", "TEAM_APPROVER"],
    mutates: false,
    description: "See a team's API tokens (team approvers: their teams; admins: any)",
  },
  "apiToken.manage": {
    roles: ["ADMIN", "TEAM_APPROVER"],
    mutates: true,
    description: "Create and revoke a team's API tokens (team approvers: their teams; admins: any; audited)",
  },
  "audit.readTeam": {
    roles: ALL,
    mutates: false,
    description: "Read the audit events of one's teams' clusters (the team API)",
  },
  "cluster.manageResidency": {
    roles: ["ADMIN"],
    mutates: true,
    description: "Edit a cluster's residency policy (allowed jurisdictions), with a preview of what it would put out of policy (audited)",
  },
  "residency.sweep": {
    roles: ["ADMIN", "DBA", "COMPLIANCE"],
    mutates: true,
    description: "Run the residency sweep now (opens and closes residency findings; it also runs on a schedule)",
  },
  "instance.register": {
    roles: ["ADMIN", "DBA"],
    mutates: true,
    description: "Register an existing PostgreSQL server as an instance (connection checked first; credential stored encrypted, never shown again; audited)",
  },
  "instance.rotateCredential": {
    roles: ["ADMIN", "DBA"],
    mutates: true,
    description: "Set or rotate the credential Meridian connects to an instance with (write-only; audited without the value)",
  },
  "link.read": { roles: ALL, mutates: false, description: "See a replication link: status, lag, tables, last data verification" },
  "link.operate": {
    roles: ["ADMIN", "DBA"],
    mutates: true,
    description: "Pause and resume a replication link between real servers (audited)",
  },
  "link.verify": {
    roles: ["ADMIN", "DBA"],
    mutates: true,
    description: "Verify a link's data now: row count and checksum per table on both servers (audited)",
  },
  "execution.read": { roles: ALL, mutates: false, description: "See the execution of a change request: steps, progress, logs" },
  "execution.operate": {
    roles: ["ADMIN", "DBA"],
    mutates: true,
    description: "Pause, resume, cancel (with rollback) an execution and retry its failed step (audited)",
  },
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
