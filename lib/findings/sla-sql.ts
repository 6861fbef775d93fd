import { Prisma } from "@prisma/client";
import { CONTROLS } from "@/lib/posture";

/** `(control_id, severity, default_sla_days)` rows of the control policy, as an SQL VALUES list. */
export function controlPolicySql(): Prisma.Sql {
  return Prisma.sql`(VALUES ${Prisma.join(
    CONTROLS.map((control) => Prisma.sql`(${control.id}, ${control.severity}, ${control.slaDays}::int)`),
  )}) AS policy(control_id, severity, default_sla_days)`;
}

/** The effective due date of finding `f`: its explicit due date, else opened + the control's SLA. */
export function effectiveDueSql(): Prisma.Sql {
  return Prisma.sql`COALESCE(f.due_at, f.opened_at + make_interval(days => COALESCE(cs.sla_days, policy.default_sla_days)))`;
}

/** Joins that `effectiveDueSql` needs, for a query over `findings f`. */
export function slaJoinsSql(): Prisma.Sql {
  return Prisma.sql`JOIN ${controlPolicySql()} ON policy.control_id = f.control_id LEFT JOIN control_settings cs ON cs.control_id = f.control_id`;
}
