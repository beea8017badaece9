import type { DefaultSession } from "next-auth";
import type { TRole } from "@meridian/policy";

declare module "next-auth" {
  interface Session {
    user: { id: string; name: string; email: string; roles: TRole[] } & Omit<DefaultSession["user"], "name" | "email">;
  }
  interface User {
    roles?: TRole[];
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    roles?: TRole[];
  }
}
