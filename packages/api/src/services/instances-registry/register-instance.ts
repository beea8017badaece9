import { randomUUID } from "node:crypto";
import { type PrismaClient } from "@meridian/db";
import { checkPostgresConnection, encryptCredential, type TConnectionCheck } from "@meridian/fleet/registry";
import { AppError } from "../../errors";
import {
  type TRegisterInstanceRequest,
  type TRotateInstanceCredentialRequest,
} from "../../routers/instances-registry/instances-registry.schema";
import { appendAuditEvent, type TAuditActor } from "../audit/append-audit-event";
import { credentialKeyOrThrow } from "./credential-key";

/**
 * Registering an existing PostgreSQL server, and rotating the credential Meridian uses for it.
 * The connection is checked first (reachable, right password, wal_level = logical); the
 * credential is stored only as AES-256-GCM ciphertext bound to the instance id, and never
 * returned, logged or audited (audit rows say "credential set" / "credential rotated").
 */
export interface TRegisteredInstance {
  id: string;
  name: string;
  endpoint: string;
  databaseName: string;
  version: string;
  role: "PRIMARY" | "REPLICA" | "STANDBY";
}

function refuse(check: Extract<TConnectionCheck, { ok: false }>): never {
  const field = check.field === "server" ? "host" : check.field;
  throw new AppError("INVALID", check.message, { [field]: [check.message] });
}

const endpointOf = (host: string, port: number) => (host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`);

export async function registerInstance(prisma: PrismaClient, input: TRegisterInstanceRequest, actor: TAuditActor): Promise<TRegisteredInstance> {
  const key = credentialKeyOrThrow();
  const [cluster, dataCenter, clash] = await Promise.all([
    prisma.cluster.findUnique({ where: { id: input.clusterId }, select: { id: true, name: true, engine: true, allowedJurisdictions: true } }),
    prisma.dataCenter.findUnique({ where: { id: input.dataCenterId }, select: { id: true, code: true, jurisdictionCode: true, status: true } }),
    prisma.instance.findUnique({ where: { name: input.name }, select: { id: true } }),
  ]);
  if (!cluster) throw new AppError("INVALID", "No such cluster", { clusterId: ["No such cluster"] });
  if (cluster.engine !== "POSTGRESQL")
    throw new AppError("INVALID", `${cluster.name} is not a PostgreSQL cluster`, { clusterId: ["Choose a PostgreSQL cluster"] });
  if (!dataCenter) throw new AppError("INVALID", "No such data center", { dataCenterId: ["No such data center"] });
  if (!cluster.allowedJurisdictions.includes(dataCenter.jurisdictionCode))
    throw new AppError("INVALID", `${cluster.name}'s data may not live in ${dataCenter.jurisdictionCode} (${dataCenter.code})`, {
      dataCenterId: [`Allowed jurisdictions: ${cluster.allowedJurisdictions.join(", ")}`],
    });
  if (clash) throw new AppError("CONFLICT", `An instance named ${input.name} exists`, { name: ["This name is taken"] });
  if (input.role === "PRIMARY") {
    const primary = await prisma.instance.findFirst({ where: { clusterId: cluster.id, role: "PRIMARY" }, select: { name: true } });
    if (primary)
      throw new AppError("CONFLICT", `${cluster.name} already has a primary (${primary.name})`, {
        role: ["A cluster has one primary: register this server as REPLICA or STANDBY"],
      });
  }

  const check = await checkPostgresConnection({ host: input.host, port: input.port, database: input.database, user: input.user, password: input.password });
  if (!check.ok) refuse(check);

  const id = randomUUID();
  const endpoint = endpointOf(input.host, input.port);
  const ciphertext = encryptCredential(key, id, { user: input.user, password: input.password });
  const created = await prisma.$transaction(async (tx) => {
    const row = await tx.instance.create({
      data: {
        id,
        name: input.name,
        clusterId: cluster.id,
        dataCenterId: dataCenter.id,
        role: input.role,
        driver: "POSTGRES",
        endpoint,
        version: check.version,
        health: "UNKNOWN",
        credentialCiphertext: ciphertext,
        databaseName: input.database,
      },
      select: { id: true, name: true, endpoint: true, databaseName: true, version: true, role: true },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "instance.registered",
      targetType: "instance",
      targetId: id,
      after: {
        name: row.name,
        cluster: cluster.name,
        dataCenter: dataCenter.code,
        role: row.role,
        endpoint,
        database: input.database,
        version: check.version,
        driver: "POSTGRES",
        credential: "set",
      },
    });
    return row;
  });
  return { ...created, databaseName: created.databaseName ?? input.database };
}

export async function rotateInstanceCredential(
  prisma: PrismaClient,
  input: TRotateInstanceCredentialRequest,
  actor: TAuditActor,
): Promise<{ id: string; name: string; rotatedAt: Date }> {
  const key = credentialKeyOrThrow();
  const instance = await prisma.instance.findUnique({
    where: { id: input.instanceId },
    select: { id: true, name: true, driver: true, endpoint: true, databaseName: true },
  });
  if (!instance) throw new AppError("NOT_FOUND", "No such instance");
  if (instance.driver !== "POSTGRES")
    throw new AppError("PRECONDITION_FAILED", `${instance.name} is simulated: it has no credential to rotate`);
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(instance.endpoint);
  if (!m?.[1] || !m[2]) throw new AppError("PRECONDITION_FAILED", `${instance.name}'s endpoint is not host:port`);
  const check = await checkPostgresConnection({
    host: m[1],
    port: Number(m[2]),
    database: instance.databaseName ?? "postgres",
    user: input.user,
    password: input.password,
  });
  if (!check.ok) refuse(check);
  const rotatedAt = new Date();
  await prisma.$transaction(async (tx) => {
    await tx.instance.update({
      where: { id: instance.id },
      data: { credentialCiphertext: encryptCredential(key, instance.id, { user: input.user, password: input.password }) },
      select: { id: true },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "instance.credentialRotated",
      targetType: "instance",
      targetId: instance.id,
      after: { name: instance.name, credential: "rotated" },
    });
  });
  return { id: instance.id, name: instance.name, rotatedAt };
}

/** What the registration form offers: PostgreSQL clusters and data centers (ids, names, jurisdictions). */
export async function registrationOptions(prisma: PrismaClient) {
  const [clusters, dataCenters] = await Promise.all([
    prisma.cluster.findMany({
      where: { engine: "POSTGRESQL" },
      orderBy: { name: "asc" },
      select: { id: true, name: true, allowedJurisdictions: true },
    }),
    prisma.dataCenter.findMany({
      orderBy: { code: "asc" },
      select: { id: true, code: true, name: true, jurisdictionCode: true, status: true },
    }),
  ]);
  return { clusters, dataCenters };
}
