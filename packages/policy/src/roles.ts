/** Roles a user can hold. Mirrors the `Role` enum of the metadata schema. */
export const ROLES = ["ADMIN", "DBA", "ENGINEER", "TEAM_APPROVER", "COMPLIANCE", "VIEWER"] as const;
export type TRole = (typeof ROLES)[number];

export const ROLE_LABELS: Record<TRole, string> = {
  ADMIN: "Administrator",
  DBA: "DBA",
  ENGINEER: "Engineer",
  TEAM_APPROVER: "Team approver",
  COMPLIANCE: "Compliance officer",
  VIEWER: "Leadership (read-only)",
};

export function isRole(value: unknown): value is TRole {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
