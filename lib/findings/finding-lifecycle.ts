import "server-only";
import type { Database } from "@/lib/db/client";
import { Prisma } from "@prisma/client";
import { publicUrl } from "@/lib/public-url";
import { sendWebhook } from "@/lib/notifications/webhook";
import { SYSTEM_ACTOR } from "./system-actor";
import { effectiveDueSql, slaJoinsSql } from "./sla-sql";

/**
 * An expired waiver reopens its finding: the KPIs take it back from the expiry on (they read the
 * waiver's dates); this writes the matching entry in the audit trail, once per waiver.
 */
export async function recordExpiredWaivers(db: Database, now: Date = new Date()): Promise<number> {
  return db.prisma.$executeRaw`
    INSERT INTO finding_events (finding_id, at, actor, type, data)
    SELECT w.finding_id, w.expires_at, ${SYSTEM_ACTOR}, 'waiver-expired', jsonb_build_object('waiverId', w.id)
      FROM waivers w JOIN findings f ON f.id = w.finding_id
     WHERE w.expires_at <= ${now} AND (w.revoked_at IS NULL OR w.revoked_at > w.expires_at)
       AND (f.resolved_at IS NULL OR f.resolved_at > w.expires_at)
       AND NOT EXISTS (SELECT 1 FROM finding_events e
                        WHERE e.finding_id = w.finding_id AND e.type = 'waiver-expired' AND (e.data->>'waiverId')::int = w.id)`;
}

/** Findings that passed their due date (open, not waived) are announced once on the webhook. */
export async function notifyOverdueFindings(db: Database, now: Date = new Date()): Promise<number> {
  const overdue = await db.prisma.$queryRaw<{ id: number; control_id: string; cluster: string; owner: string; assignee: string | null; due_at: Date }[]>(Prisma.sql`
    SELECT f.id, f.control_id, c.name AS cluster, f.owner, f.assignee, ${effectiveDueSql()} AS due_at
      FROM findings f JOIN clusters c ON c.id = f.cluster_id ${slaJoinsSql()}
     WHERE f.resolved_at IS NULL AND f.overdue_notified_at IS NULL AND ${effectiveDueSql()} < ${now}
       AND NOT EXISTS (SELECT 1 FROM waivers w WHERE w.finding_id = f.id AND w.created_at <= ${now} AND w.expires_at > ${now}
                        AND (w.revoked_at IS NULL OR w.revoked_at > ${now}))
     ORDER BY due_at LIMIT 500`);
  if (overdue.length === 0) return 0;
  const base = publicUrl();
  const outcome = await sendWebhook({
    event: "finding.overdue",
    text: `${overdue.length} finding${overdue.length === 1 ? " is" : "s are"} past due: ${overdue.slice(0, 5).map((f) => `${f.control_id} on ${f.cluster}`).join(", ")}${overdue.length > 5 ? ", …" : ""}`,
    findings: overdue.map((f) => ({ id: f.id, controlId: f.control_id, cluster: f.cluster, owner: f.owner, assignee: f.assignee, dueAt: f.due_at.toISOString(), url: `${base}/findings/${f.id}` })),
  });
  if (outcome !== "sent") return 0;
  await db.prisma.finding.updateMany({ where: { id: { in: overdue.map((f) => f.id) } }, data: { overdueNotifiedAt: now } });
  return overdue.length;
}
