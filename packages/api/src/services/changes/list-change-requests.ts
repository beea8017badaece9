import { type Prisma, type PrismaClient } from "@meridian/db";
import {
  CHANGE_STATUS_FAMILY,
  CHANGE_STATUSES,
  statusFamily,
  type TChangeKind,
  type TChangeStatus,
  type TResidencyVerdict,
  type TRiskLevel,
  type TStatusFamily,
} from "@meridian/policy";
import { type TListChangeRequestsRequest } from "../../routers/changes/list-change-requests.schema";
import { loadActorTeams, type TActor } from "./actor";

export interface TChangeRequestListItem {
  id: string;
  number: number;
  title: string;
  kind: TChangeKind;
  status: TChangeStatus;
  family: TStatusFamily;
  riskLevel: TRiskLevel | null;
  riskReasons: string[];
  residencyVerdict: TResidencyVerdict | null;
  residencyRule: string | null;
  cluster: { id: string; name: string } | null;
  requester: { id: string; name: string };
  breakGlass: boolean;
  awaitingReview: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface TChangeRequestPage {
  items: TChangeRequestListItem[];
  total: number;
  page: number;
  pageSize: number;
}

const SORTS: Record<TListChangeRequestsRequest["sort"], (o: "asc" | "desc") => Prisma.ChangeRequestOrderByWithRelationInput> = {
  number: (o) => ({ number: o }),
  createdAt: (o) => ({ createdAt: o }),
  updatedAt: (o) => ({ updatedAt: o }),
  risk: (o) => ({ riskLevel: { sort: o, nulls: "last" } }),
  status: (o) => ({ status: o }),
  kind: (o) => ({ kind: o }),
};

export async function listChangeRequests(
  prisma: PrismaClient,
  actor: TActor,
  input: TListChangeRequestsRequest,
): Promise<TChangeRequestPage> {
  const and: Prisma.ChangeRequestWhereInput[] = [];
  if (input.q) {
    const n = /^(?:cr-?)?(\d{1,9})$/i.exec(input.q);
    and.push({
      OR: [
        ...(n ? [{ number: Number(n[1]) }] : []),
        { title: { contains: input.q, mode: "insensitive" } },
        { cluster: { name: { contains: input.q, mode: "insensitive" } } },
      ],
    });
  }
  if (input.status) and.push({ status: input.status });
  if (input.family) and.push({ status: { in: CHANGE_STATUSES.filter((s) => CHANGE_STATUS_FAMILY[s] === input.family) } });
  if (input.kind) and.push({ kind: input.kind });
  if (input.risk) and.push({ riskLevel: input.risk });
  if (input.residency) and.push({ residencyVerdict: input.residency });
  if (input.cluster) and.push({ cluster: { name: input.cluster } });
  if (input.scope === "mine") and.push({ requesterId: actor.id });
  if (input.scope === "my-teams") {
    const teams = await loadActorTeams(prisma, actor.id);
    and.push({ ownerTeamIds: { hasSome: teams.memberOfTeamIds } });
  }
  const where: Prisma.ChangeRequestWhereInput = and.length ? { AND: and } : {};
  const [rows, total] = await Promise.all([
    prisma.changeRequest.findMany({
      where,
      orderBy: [SORTS[input.sort](input.order), { number: "desc" }],
      skip: (input.page - 1) * input.pageSize,
      take: input.pageSize,
      select: {
        id: true,
        number: true,
        title: true,
        kind: true,
        status: true,
        riskLevel: true,
        riskReasons: true,
        residencyVerdict: true,
        residencyRule: true,
        breakGlass: true,
        reviewRequired: true,
        reviewedAt: true,
        createdAt: true,
        updatedAt: true,
        cluster: { select: { id: true, name: true } },
        requester: { select: { id: true, name: true } },
      },
    }),
    prisma.changeRequest.count({ where }),
  ]);
  return {
    items: rows.map(({ reviewRequired, reviewedAt, ...r }) => ({
      ...r,
      family: statusFamily(r.status),
      awaitingReview: reviewRequired && !reviewedAt,
    })),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}
