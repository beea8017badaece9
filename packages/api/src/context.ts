import { type PrismaClient } from "@meridian/db";
import { type TRole } from "@meridian/policy";

export interface TSessionUser {
  id: string;
  email: string;
  name: string;
  roles: TRole[];
}

export interface TContext {
  prisma: PrismaClient;
  user: TSessionUser | null;
}

export function createContext(input: TContext): TContext {
  return input;
}
