import "server-only";
import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { CONTROLS, type ControlId } from "@/lib/posture";
import { MAX_SLA_DAYS } from "./control-policy";

export interface SlaSetting {
  controlId: ControlId;
  title: string;
  slaDays: number;
  defaultSlaDays: number;
  updatedBy: string | null;
}

/** The SLA per control: the stored override, else the default. */
export async function getSlaSettings(db: Database): Promise<SlaSetting[]> {
  const stored = new Map((await db.prisma.controlSetting.findMany()).map((row) => [row.controlId, row]));
  return CONTROLS.map((control) => ({
    controlId: control.id,
    title: control.title,
    slaDays: stored.get(control.id)?.slaDays ?? control.slaDays,
    defaultSlaDays: control.slaDays,
    updatedBy: stored.get(control.id)?.updatedBy ?? null,
  }));
}

export async function updateSlaSettings(db: Database, changes: { controlId: string; slaDays: number }[], actor: string): Promise<SlaSetting[]> {
  for (const change of changes) {
    if (!CONTROLS.some((control) => control.id === change.controlId)) throw new AppError("bad-request", `controlId: unknown control "${change.controlId}"`);
    if (!Number.isInteger(change.slaDays) || change.slaDays < 1 || change.slaDays > MAX_SLA_DAYS) {
      throw new AppError("bad-request", `slaDays: must be a whole number of days from 1 to ${MAX_SLA_DAYS} (${change.controlId})`);
    }
  }
  const before = new Map((await getSlaSettings(db)).map((setting) => [setting.controlId as string, setting.slaDays]));
  const at = new Date();
  await db.prisma.$transaction([
    ...changes.map((change) =>
      db.prisma.controlSetting.upsert({
        where: { controlId: change.controlId },
        create: { controlId: change.controlId, slaDays: change.slaDays, updatedBy: actor },
        update: { slaDays: change.slaDays, updatedBy: actor },
      }),
    ),
    // Each change goes to the admin trail with the old and the new SLA.
    db.prisma.adminEvent.createMany({
      data: changes
        .filter((change) => before.get(change.controlId) !== change.slaDays)
        .map((change) => ({ at, actor, type: "sla-changed", subject: change.controlId, data: { from: before.get(change.controlId) ?? null, to: change.slaDays } })),
    }),
  ]);
  return getSlaSettings(db);
}
