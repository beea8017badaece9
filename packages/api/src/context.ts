import { type PrismaClient } from "@meridian/db";
import { type TRole } from "@meridian/policy";

export interface TSessionUser {
  id: string;
  email: string;
  name: string;
  roles: TRole[];
  /** Signed in with a generated password: every procedure but the password change is refused. */
  mustChangePassword?: boolean;
}

export interface TContext {
  prisma: PrismaClient;
  user: TSessionUser | null;
}

export function createContext(input: TContext): TContext {
  return input;
}
