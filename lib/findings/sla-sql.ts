import { Prisma } from "@prisma/client";
import { CONTROLS } from "@/lib/posture/control-catalogue";

/** `(control_id, severity, default_sla_days)` rows of the control policy, as an SQL VALUES list. */
export function controlPolicySql(): Prisma.Sql {
  return Prisma.sql`(VALUES ${Prisma.join(
    CONTROLS.map((control) => Prisma.sql`(${control.id}, ${control.severity}, ${control.slaDays}::int)`),
  )}) AS policy(control_id, severity, default_sla_days)`;
}

/** The control defaults as JSON, for the collector's text SQL (`jsonb_to_recordset`). */
export function controlSlaDefaultsJson(): string {
  return JSON.stringify(CONTROLS.map((control) => ({ control_id: control.id, default_sla_days: control.slaDays })));
}

/**
 * SQL text for the SLA due date of a finding opening at `openedAt` with `slaDays`: the end of the UTC
 * day the SLA runs out, counted in whole days from the day it opened (one day convention: a due date
 * is a day, and "through 27 Feb" means until 27 Feb 23:59:59.999 UTC).
 */
export function slaDueText(openedAt: string, slaDays: string): string {
  return `((date_trunc('day', ${openedAt} AT TIME ZONE 'UTC') + make_interval(days => ${slaDays} + 1)) AT TIME ZONE 'UTC' - interval '1 millisecond')`;
}

/** The effective due date of finding `f`: the agreed due date when one was set, else its SLA due date. */
export function effectiveDueSql(): Prisma.Sql {
  return Prisma.sql`COALESCE(f.due_at, f.sla_due_at)`;
}

/** Joins that a query over `findings f` needs for the severity (`policy.severity`). */
export function slaJoinsSql(): Prisma.Sql {
  return Prisma.sql`JOIN ${controlPolicySql()} ON policy.control_id = f.control_id`;
}
