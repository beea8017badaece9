import { type PrismaClient } from "@meridian/db";
import { type TRole } from "@meridian/policy";

export interface TSessionUser {
  id: string;
  email: string;
  name: string;
  roles: TRole[];
  /**
   * Set for an API token: the caller acts for these teams only, whatever the creating user's
   * own memberships are (and approves in none).
   */
  teamIds?: string[];
  /** Signed in with a generated password: every procedure but the password change is refused. */
  mustChangePassword?: boolean;
}

/** The API token a request authenticated with (team API); null for a browser session. */
export interface TTokenPrincipal {
  id: string;
  name: string;
  prefix: string;
  teamId: string;
  scopes: string[];
  /** Empty: every cluster of the team. */
  clusterIds: string[];
  createdById: string;
  expiresAt: Date | null;
}

export interface TContext {
  prisma: PrismaClient;
  user: TSessionUser | null;
  token?: TTokenPrincipal | null;
}

export function createContext(input: TContext): TContext {
  return input;
}
