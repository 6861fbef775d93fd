import "server-only";
import { randomUUID } from "node:crypto";
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
  /** A person or team; null unassigns; absent leaves the assignee as it is. */
  assignee: assigneeSchema.nullable().optional(),
  /** The agreed due date (YYYY-MM-DD, through the end of that UTC day); null goes back to the SLA due date. */
  dueAt: z.iso.date("must be a date (YYYY-MM-DD)").nullable().optional(),
  /** Why a due date moves later: required then, and kept in the trail. */
  dueReason: z.string().trim().max(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`).optional(),
});

export const commentInput = z.object({
  text: z.string().trim().min(1, "must not be empty").max(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`),
});

export const waiverInput = z.object({
  reason: z.string().trim().min(3, "must say why (at least 3 characters)").max(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`),
  /** The last day the waiver covers (YYYY-MM-DD, through the end of that UTC day). */
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

const MIN_REASON = 3;
const DAY_MS = 86_400_000;

interface FindingWorkflowState {
  id: number;
  assignee: string | null;
  /** The agreed due date, ISO, or null. */
  dueAt: string | null;
  dueReason: string | null;
}

async function readWorkflowState(db: Database, ids: number[]): Promise<Map<number, FindingWorkflowState>> {
  const rows = await db.prisma.finding.findMany({ where: { id: { in: ids } }, select: { id: true, assignee: true, dueAt: true, dueReason: true } });
  return new Map(rows.map((row) => [row.id, { id: row.id, assignee: row.assignee, dueAt: row.dueAt?.toISOString() ?? null, dueReason: row.dueReason }]));
}

export interface AssignResult {
  updated: number;
  /** Names this change in the trail, for undo. */
  batch: string;
  /** Findings whose due date moved later than it was (an extension past the SLA where later than it). */
  extended: number;
  /** The findings as they are now. */
  rows: FindingRow[];
}

/**
 * Assigns findings to a person or team and/or agrees a due date. A due date that moves later than the
 * finding's current one needs a reason; every change goes to the trail with the old and the new
 * value, under one batch id that undo can take back. The SLA due date never moves.
 */
export async function assignFindings(
  db: Database,
  input: { ids: number[]; assignee?: string | null; dueAt?: string | null; dueReason?: string; actor: string },
  now: Date = new Date(),
): Promise<AssignResult> {
  const ids = [...new Set(input.ids)];
  if (ids.length === 0 || ids.length > MAX_BULK_ASSIGN) throw new AppError("bad-request", `ids: give 1 to ${MAX_BULK_ASSIGN} findings`);
  if (input.assignee === undefined && input.dueAt === undefined) throw new AppError("bad-request", "assignee: give an assignee, a due date or both");
  // A due date means "through the end of that day" (UTC); null clears it back to the SLA due date.
  const dueAt: Date | null | undefined = input.dueAt ? new Date(`${input.dueAt}T23:59:59.999Z`) : input.dueAt === undefined ? undefined : null;
  if (dueAt && dueAt < now) throw new AppError("bad-request", "dueAt: must not be in the past");
  if (dueAt && dueAt.getTime() > now.getTime() + (MAX_DUE_DAYS + 1) * DAY_MS) throw new AppError("bad-request", `dueAt: at most ${MAX_DUE_DAYS} days ahead`);
  const findings = await getOpenFindings(db, ids, now);
  const reason = input.dueReason?.trim() || null;
  const later =
    dueAt === undefined ? [] : findings.filter((finding) => (dueAt ?? new Date(finding.slaDueAt)).getTime() > new Date(finding.dueAt).getTime());
  if (later.length > 0 && (!reason || reason.length < MIN_REASON)) {
    throw new AppError(
      "bad-request",
      `dueReason: say why the due date moves later (at least ${MIN_REASON} characters): ${later.length === 1 ? `finding ${later[0].id} was due` : `${later.length} findings were due`} earlier`,
    );
  }
  const batch = randomUUID();
  const before = await readWorkflowState(db, ids);
  const events: Prisma.FindingEventCreateManyInput[] = [];
  for (const finding of findings) {
    const previous = before.get(finding.id)!;
    if (input.assignee !== undefined && input.assignee !== previous.assignee) {
      events.push({ findingId: finding.id, at: now, actor: input.actor, type: "assigned", data: { assignee: input.assignee, previous: previous.assignee, batch } });
    }
    if (dueAt !== undefined && (dueAt?.toISOString() ?? null) !== previous.dueAt) {
      const to = dueAt ?? new Date(finding.slaDueAt);
      const movedLater = to.getTime() > new Date(finding.dueAt).getTime();
      events.push({
        findingId: finding.id,
        at: now,
        actor: input.actor,
        type: "due-changed",
        data: {
          from: finding.dueAt,
          to: to.toISOString(),
          agreed: dueAt?.toISOString() ?? null,
          previous: { dueAt: previous.dueAt, dueReason: previous.dueReason },
          slaDueAt: finding.slaDueAt,
          ...(movedLater ? { reason } : {}),
          batch,
        },
      });
    }
  }
  const updates = findings.map((finding) => {
    const previous = before.get(finding.id)!;
    const to = dueAt === undefined ? undefined : (dueAt ?? new Date(finding.slaDueAt));
    const movedLater = to !== undefined && to.getTime() > new Date(finding.dueAt).getTime();
    return db.prisma.finding.update({
      where: { id: finding.id },
      data: {
        ...(input.assignee !== undefined ? { assignee: input.assignee } : {}),
        ...(dueAt !== undefined
          ? { dueAt, overdueNotifiedAt: null, dueReason: dueAt === null ? null : movedLater ? reason : dueAt.getTime() > new Date(finding.slaDueAt).getTime() ? previous.dueReason : null }
          : {}),
      },
    });
  });
  await db.prisma.$transaction([...updates, db.prisma.findingEvent.createMany({ data: events })]);
  if (input.assignee) {
    const base = publicUrl();
    void sendWebhook({
      event: "finding.assigned",
      text: `${input.actor} assigned ${ids.length === 1 ? `finding ${findings[0].controlId} on ${findings[0].clusterName}` : `${ids.length} findings`} to ${input.assignee}.`,
      findings: findings.map((f) => ({ id: f.id, controlId: f.controlId, cluster: f.clusterName, owner: f.owner, assignee: input.assignee ?? null, dueAt: dueAt?.toISOString() ?? f.dueAt, url: `${base}/findings/${f.id}` })),
    });
  }
  return { updated: ids.length, batch, extended: later.length, rows: await readFindingRows(db, ids, now) };
}

async function readFindingRows(db: Database, ids: number[], now: Date): Promise<FindingRow[]> {
  const rows = await db.prisma.$queryRaw<Parameters<typeof toFindingRow>[0][]>(
    Prisma.sql`WITH base AS (${findingsBaseSql(now)}) SELECT * FROM base WHERE id = ANY(${ids}::int4[])`,
  );
  const order = new Map(ids.map((id, index) => [id, index]));
  return rows.map((row) => toFindingRow(row, now)).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

/**
 * Takes back one assignment batch: each finding gets the assignee and agreed due date it had before,
 * unless someone changed it since (those are left alone and counted). The trail records the undo.
 */
export async function undoAssignment(db: Database, input: { batch: string; actor: string }, now: Date = new Date()): Promise<{ restored: number; skipped: number; rows: FindingRow[] }> {
  const events = await db.prisma.findingEvent.findMany({
    where: { type: { in: ["assigned", "due-changed"] }, data: { path: ["batch"], equals: input.batch } },
    orderBy: { id: "asc" },
  });
  if (events.length === 0) throw new AppError("not-found", `batch: no assignment ${input.batch} to undo`);
  const undone = await db.prisma.findingEvent.count({ where: { data: { path: ["undoOf"], equals: input.batch } } });
  if (undone > 0) throw new AppError("conflict", "batch: this change was already undone");
  const ids = [...new Set(events.map((event) => event.findingId))];
  const current = await readWorkflowState(db, ids);
  let restored = 0;
  let skipped = 0;
  const operations: Prisma.PrismaPromise<unknown>[] = [];
  for (const id of ids) {
    const mine = events.filter((event) => event.findingId === id);
    const assigned = mine.find((event) => event.type === "assigned")?.data as { assignee: string | null; previous: string | null } | undefined;
    const due = mine.find((event) => event.type === "due-changed")?.data as { agreed: string | null; previous: { dueAt: string | null; dueReason: string | null } } | undefined;
    const state = current.get(id)!;
    // Someone changed it since: their change stands.
    if ((assigned && state.assignee !== assigned.assignee) || (due && state.dueAt !== due.agreed)) {
      skipped += 1;
      continue;
    }
    restored += 1;
    operations.push(
      db.prisma.finding.update({
        where: { id },
        data: {
          ...(assigned ? { assignee: assigned.previous } : {}),
          ...(due ? { dueAt: due.previous.dueAt ? new Date(due.previous.dueAt) : null, dueReason: due.previous.dueReason, overdueNotifiedAt: null } : {}),
        },
      }),
    );
    if (assigned) operations.push(db.prisma.findingEvent.create({ data: { findingId: id, at: now, actor: input.actor, type: "assigned", data: { assignee: assigned.previous, previous: assigned.assignee, undoOf: input.batch } } }));
    if (due) {
      operations.push(
        db.prisma.findingEvent.create({
          data: { findingId: id, at: now, actor: input.actor, type: "due-changed", data: { agreed: due.previous.dueAt, to: due.previous.dueAt, from: due.agreed, reason: "Undo of a change made a moment before", undoOf: input.batch } },
        }),
      );
    }
  }
  await db.prisma.$transaction(operations);
  return { restored, skipped, rows: await readFindingRows(db, ids, now) };
}

export async function commentOnFinding(db: Database, input: { id: number; text: string; actor: string }, now: Date = new Date()): Promise<void> {
  const finding = await db.prisma.finding.findUnique({ where: { id: input.id }, select: { id: true } });
  if (!finding) throw new AppError("not-found", `finding ${input.id} does not exist`);
  await db.prisma.findingEvent.create({ data: { findingId: input.id, at: now, actor: input.actor, type: "commented", data: { text: input.text } } });
}

/**
 * Waives an open finding through the end of the UTC day `expiresAt` (one day convention: "through
 * 27 Feb"), a day from today to 180 days ahead; the waiver ends at 00:00 UTC the day after.
 */
export async function waiveFinding(db: Database, input: { id: number; reason: string; expiresAt: string; actor: string }, now: Date = new Date()): Promise<{ id: number }> {
  const expiresAt = new Date(new Date(`${input.expiresAt}T00:00:00Z`).getTime() + DAY_MS);
  if (expiresAt <= now) throw new AppError("bad-request", "expiresAt: must be today or later");
  if (expiresAt.getTime() > now.getTime() + (MAX_WAIVER_DAYS + 1) * DAY_MS) {
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
