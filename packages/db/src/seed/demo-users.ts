import { Role, TeamRole } from "../generated/prisma/client";
import { DEMO_TEAM_SLUG } from "./teams";

/** Who the demo lets you sign in as. One user per persona of DESIGN.md §1. */
export type TDemoPersona =
  "admin" | "dba" | "second-dba" | "engineer" | "team-approver" | "compliance" | "leadership";

export type TDemoUser = {
  persona: TDemoPersona;
  email: string;
  name: string;
  roles: readonly Role[];
  /** Membership in the demo team, for the personas that have one. */
  team: { slug: string; role: TeamRole } | null;
};

/** Password of every demo user unless `seedDemo` is given another one. */
export const DEFAULT_DEMO_PASSWORD = "meridian-demo";

export const DEMO_USERS: readonly TDemoUser[] = [
  { persona: "admin", email: "admin@meridian.local", name: "Morgan Reyes", roles: [Role.ADMIN], team: null },
  { persona: "dba", email: "dba@meridian.local", name: "Dana Kowalski", roles: [Role.DBA], team: null },
  // HIGH risk changes need two distinct DBAs.
  { persona: "second-dba", email: "dba2@meridian.local", name: "Priya Raman", roles: [Role.DBA], team: null },
  {
    persona: "engineer",
    email: "engineer@meridian.local",
    name: "Sam Okafor",
    roles: [Role.ENGINEER],
    team: { slug: DEMO_TEAM_SLUG, role: TeamRole.MEMBER },
  },
  {
    persona: "team-approver",
    email: "approver@meridian.local",
    name: "Lena Fischer",
    roles: [Role.TEAM_APPROVER],
    team: { slug: DEMO_TEAM_SLUG, role: TeamRole.APPROVER },
  },
  {
    persona: "compliance",
    email: "compliance@meridian.local",
    name: "Hiro Tanaka",
    roles: [Role.COMPLIANCE],
    team: null,
  },
  {
    persona: "leadership",
    email: "leadership@meridian.local",
    name: "Grace Whitfield",
    roles: [Role.VIEWER],
    team: null,
  },
];
