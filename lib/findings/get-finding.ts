import "server-only";
import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { Prisma } from "@prisma/client";
import { getControl } from "@/lib/posture";
import { recordExpiredWaivers } from "./finding-lifecycle";
import { findingsBaseSql, toFindingRow, type FindingRow } from "./list-findings";

export interface FindingEventView {
  id: string;
  at: string;
  actor: string;
  type: string;
  data: Record<string, unknown>;
}

export interface FindingDetail extends FindingRow {
  controlTitle: string;
  controlDescription: string;
  events: FindingEventView[];
  waivers: { id: number; reason: string; createdBy: string; createdAt: string; expiresAt: string; revokedAt: string | null }[];
}

/** One finding with its whole audit trail, oldest first. */
export async function getFinding(db: Database, id: number, now: Date = new Date()): Promise<FindingDetail> {
  // The trail shows a waiver's expiry even when no run has happened since.
  await recordExpiredWaivers(db, now);
  const rows = await db.prisma.$queryRaw<Parameters<typeof toFindingRow>[0][]>(
    Prisma.sql`WITH base AS (${findingsBaseSql(now)}) SELECT * FROM base WHERE id = ${id}`,
  );
  if (rows.length === 0) throw new AppError("not-found", `finding ${id} does not exist`);
  const [events, waivers] = await Promise.all([
    db.prisma.findingEvent.findMany({ where: { findingId: id }, orderBy: [{ at: "asc" }, { id: "asc" }] }),
    db.prisma.waiver.findMany({ where: { findingId: id }, orderBy: { createdAt: "asc" } }),
  ]);
  const row = toFindingRow(rows[0], now);
  const control = getControl(row.controlId as Parameters<typeof getControl>[0]);
  return {
    ...row,
    controlTitle: control?.title ?? row.controlId,
    controlDescription: control?.description ?? "",
    events: events.map((event) => ({ id: event.id.toString(), at: event.at.toISOString(), actor: event.actor, type: event.type, data: (event.data ?? {}) as Record<string, unknown> })),
    waivers: waivers.map((w) => ({ id: w.id, reason: w.reason, createdBy: w.createdBy, createdAt: w.createdAt.toISOString(), expiresAt: w.expiresAt.toISOString(), revokedAt: w.revokedAt?.toISOString() ?? null })),
  };
}
