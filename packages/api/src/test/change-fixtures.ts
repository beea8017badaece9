import { type PrismaClient } from "@meridian/db";
import { DEMO_USERS, seedDemo, type TDemoPersona } from "@meridian/db/seed";
import { isRole, type TChangeParamsInput } from "@meridian/policy";
import { type TActor } from "../services/changes/actor";

/** A Wednesday at noon UTC: inside business hours for the European data centers. */
export const WEDNESDAY_NOON = new Date("2026-11-25T12:00:00.000Z");

export async function seedFleet(prisma: PrismaClient): Promise<void> {
  await seedDemo(prisma, { instances: 1200 });
}

export async function actorOf(prisma: PrismaClient, persona: TDemoPersona): Promise<TActor> {
  const email = DEMO_USERS.find((u) => u.persona === persona)!.email;
  const user = await prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true, email: true, name: true, roles: true } });
  return { id: user.id, email: user.email, name: user.name, roles: user.roles.filter(isRole) };
}

export async function clusterNamed(prisma: PrismaClient, name: string) {
  return prisma.cluster.findUniqueOrThrow({
    where: { name },
    select: {
      id: true,
      name: true,
      teamId: true,
      instances: { select: { id: true, name: true, role: true, health: true, dataCenterId: true }, orderBy: { name: "asc" } },
    },
  });
}

/** A SWITCHOVER of `clusterName` to its first UP replica. */
export async function switchoverParams(prisma: PrismaClient, clusterName: string, maxLagSeconds = 5): Promise<TChangeParamsInput> {
  const cluster = await clusterNamed(prisma, clusterName);
  const replica = cluster.instances.find((i) => i.role === "REPLICA" && i.health === "UP");
  if (!replica) throw new Error(`${clusterName} has no healthy replica`);
  return { kind: "SWITCHOVER", clusterId: cluster.id, replicaInstanceId: replica.id, maxLagSeconds };
}

/** An ADD_LINK from the primary of `clusterName` to a data center in `jurisdiction`. */
export async function addLinkParams(prisma: PrismaClient, clusterName: string, jurisdiction: string): Promise<TChangeParamsInput> {
  const cluster = await clusterNamed(prisma, clusterName);
  const primary = cluster.instances.find((i) => i.role === "PRIMARY")!;
  const dc = await prisma.dataCenter.findFirstOrThrow({
    where: { jurisdictionCode: jurisdiction, status: "ACTIVE" },
    orderBy: { code: "asc" },
    select: { id: true },
  });
  return { kind: "ADD_LINK", clusterId: cluster.id, sourceInstanceId: primary.id, targetDataCenterId: dc.id };
}
