import "server-only";
import { z } from "zod";
import type { Database } from "@/lib/db/client";
import { createWaiver, MAX_WAIVER_DAYS } from "@/lib/db/waivers";
import { AppError } from "@/lib/errors";
import { Prisma } from "@prisma/client";
import { publicUrl } from "@/lib/public-url";
import { sendWebhook } from "@/lib/notifications/webhook";
import { findingsBaseSql, toFindingRow, type FindingRow } from "./list-findings";

export const MAX_COMMENT_LENGTH = 2_000;
export const MAX_BULK_ASSIGN = 500;
/** A due date further out is a typo or a way to hide a finding from "overdue". */
export const MAX_DUE_DAYS = 730;

/** A person (e-mail) or a team name: printable text, no angle brackets or control characters. */
export const assigneeSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(320, "must be at most 320 characters")
  .regex(/^[^<>\p{Cc}]+$/u, "may not contain < > or control characters");

export const assignInput = z.object({
  assignee: assigneeSchema.nullable(),
  dueAt: z.iso.date("must be a date (YYYY-MM-DD)").nullable().optional(),
});

export const commentInput = z.object({
  text: z.string().trim().min(1, "must not be empty").max(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`),
});

export const waiverInput = z.object({
  reason: z.string().trim().min(3, "must say why (at least 3 characters)").max(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`),
  expiresAt: z.iso.date("must be a date (YYYY-MM-DD)"),
});

async function getOpenFindings(db: Database, ids: number[], now: Date): Promise<FindingRow[]> {
  const rows = await db.prisma.$queryRaw<Parameters<typeof toFindingRow>[0][]>(
    Prisma.sql`WITH base AS (${findingsBaseSql(now)}) SELECT * FROM base WHERE id = ANY(${ids}::int4[])`,
  );
  const found = new Set(rows.map((row) => row.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new AppError("not-found", `finding ${missing.join(", ")} does not exist`);
  const resolved = rows.filter((row) => row.status === "resolved").map((row) => row.id);
  if (resolved.length) throw new AppError("conflict", `finding ${resolved.join(", ")} is already resolved`);
  return rows.map((row) => toFindingRow(row, now));
}

/** Assigns findings to a person or team (null unassigns), with an optional explicit due date. */
export async function assignFindings(
  db: Database,
  input: { ids: number[]; assignee: string | null; dueAt?: string | null; actor: string },
  now: Date = new Date(),
): Promise<{ updated: number }> {
  const ids = [...new Set(input.ids)];
  if (ids.length === 0 || ids.length > MAX_BULK_ASSIGN) throw new AppError("bad-request", `ids: give 1 to ${MAX_BULK_ASSIGN} findings`);
  // A due date means "by the end of that day" (UTC); null clears it back to the control's SLA.
  const dueAt: Date | null | undefined = input.dueAt ? new Date(`${input.dueAt}T23:59:59.999Z`) : input.dueAt === undefined ? undefined : null;
  if (dueAt && dueAt < now) throw new AppError("bad-request", "dueAt: must not be in the past");
  if (dueAt && dueAt.getTime() > now.getTime() + (MAX_DUE_DAYS + 1) * 86_400_000) throw new AppError("bad-request", `dueAt: at most ${MAX_DUE_DAYS} days ahead`);
  const findings = await getOpenFindings(db, ids, now);
  await db.prisma.$transaction([
    db.prisma.finding.updateMany({ where: { id: { in: ids } }, data: { assignee: input.assignee, ...(dueAt !== undefined ? { dueAt, overdueNotifiedAt: null } : {}) } }),
    db.prisma.findingEvent.createMany({
      data: ids.map((id) => ({
        findingId: id,
        at: now,
        actor: input.actor,
        type: "assigned",
        data: { assignee: input.assignee, ...(dueAt !== undefined ? { dueAt: dueAt?.toISOString() ?? null } : {}) } as Prisma.InputJsonValue,
      })),
    }),
  ]);
  if (input.assignee) {
    const base = publicUrl();
    void sendWebhook({
      event: "finding.assigned",
      text: `${input.actor} assigned ${ids.length === 1 ? `finding ${findings[0].controlId} on ${findings[0].clusterName}` : `${ids.length} findings`} to ${input.assignee}.`,
      findings: findings.map((f) => ({ id: f.id, controlId: f.controlId, cluster: f.clusterName, owner: f.owner, assignee: input.assignee, dueAt: dueAt?.toISOString() ?? f.dueAt, url: `${base}/findings/${f.id}` })),
    });
  }
  return { updated: ids.length };
}

export async function commentOnFinding(db: Database, input: { id: number; text: string; actor: string }, now: Date = new Date()): Promise<void> {
  const finding = await db.prisma.finding.findUnique({ where: { id: input.id }, select: { id: true } });
  if (!finding) throw new AppError("not-found", `finding ${input.id} does not exist`);
  await db.prisma.findingEvent.create({ data: { findingId: input.id, at: now, actor: input.actor, type: "commented", data: { text: input.text } } });
}

/** Waives an open finding until the start (00:00 UTC) of `expiresAt`, a date at most 180 days ahead. */
export async function waiveFinding(db: Database, input: { id: number; reason: string; expiresAt: string; actor: string }, now: Date = new Date()): Promise<{ id: number }> {
  const expiresAt = new Date(`${input.expiresAt}T00:00:00Z`);
  if (expiresAt <= now) throw new AppError("bad-request", "expiresAt: must be in the future");
  if (expiresAt.getTime() > now.getTime() + MAX_WAIVER_DAYS * 86_400_000) {
    throw new AppError("bad-request", `expiresAt: a waiver lasts at most ${MAX_WAIVER_DAYS} days`);
  }
  return createWaiver(db, { findingId: input.id, reason: input.reason, expiresAt, actor: input.actor, at: now });
}

export async function revokeWaiver(db: Database, input: { id: number; actor: string }, now: Date = new Date()): Promise<void> {
  const waiver = await db.prisma.waiver.findFirst({ where: { findingId: input.id, revokedAt: null, expiresAt: { gt: now }, createdAt: { lte: now } } });
  if (!waiver) throw new AppError("conflict", `finding ${input.id} has no waiver in force`);
  await db.prisma.$transaction([
    db.prisma.waiver.update({ where: { id: waiver.id }, data: { revokedAt: now } }),
    db.prisma.findingEvent.create({ data: { findingId: input.id, at: now, actor: input.actor, type: "waiver-revoked", data: { waiverId: waiver.id } } }),
  ]);
}
