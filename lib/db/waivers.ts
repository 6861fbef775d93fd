import "server-only";
import { addDays } from "date-fns";
import type { Database } from "./client";
import { AppError } from "@/lib/errors";

export const MAX_WAIVER_DAYS = 180;

export interface CreateWaiverInput {
  findingId: number;
  reason: string;
  expiresAt: Date;
  actor: string;
  /** When the waiver takes effect; now for people, the run's capture time for the demo. */
  at?: Date;
}

/**
 * Waives an open finding until `expiresAt` (at most 180 days): it leaves the KPIs until then.
 * The waiver and its audit event are written together.
 */
export async function createWaiver(db: Database, input: CreateWaiverInput): Promise<{ id: number }> {
  const at = input.at ?? new Date();
  const reason = input.reason.trim();
  if (!reason) throw new AppError("bad-request", "reason: a waiver needs a reason");
  if (input.expiresAt <= at) throw new AppError("bad-request", "expiresAt: must be in the future");
  // Through the 180th day: the waiver ends at 00:00 UTC the day after it.
  if (input.expiresAt > addDays(at, MAX_WAIVER_DAYS + 1)) throw new AppError("bad-request", `expiresAt: at most ${MAX_WAIVER_DAYS} days ahead`);
  return db.prisma.$transaction(async (tx) => {
    const finding = await tx.finding.findUnique({ where: { id: input.findingId } });
    if (!finding) throw new AppError("not-found", `finding ${input.findingId} does not exist`);
    if (finding.resolvedAt && finding.resolvedAt <= at) throw new AppError("conflict", `finding ${input.findingId} is already resolved`);
    const overlapping = await tx.waiver.count({
      where: { findingId: finding.id, revokedAt: null, expiresAt: { gt: at }, createdAt: { lte: at } },
    });
    if (overlapping > 0) throw new AppError("conflict", `finding ${input.findingId} already has a waiver in force`);
    const waiver = await tx.waiver.create({
      data: { findingId: finding.id, clusterId: finding.clusterId, controlId: finding.controlId, reason, createdBy: input.actor, createdAt: at, expiresAt: input.expiresAt },
    });
    await tx.findingEvent.create({
      data: { findingId: finding.id, at, actor: input.actor, type: "waived", data: { waiverId: waiver.id, reason, expiresAt: input.expiresAt.toISOString() } },
    });
    return { id: waiver.id };
  });
}

/** The finding of (cluster, control) that was open at `at`, if any. */
export async function findFindingOpenAt(db: Database, clusterKey: string, controlId: string, at: Date): Promise<number | null> {
  const finding = await db.prisma.finding.findFirst({
    where: {
      cluster: { key: clusterKey.toLowerCase() },
      controlId,
      openedAt: { lte: at },
      OR: [{ resolvedAt: null }, { resolvedAt: { gt: at } }],
    },
    select: { id: true },
  });
  return finding?.id ?? null;
}
