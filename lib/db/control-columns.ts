// Where the control catalogue meets SQL: `snapshots` and `posture_intervals` keep one status column
// per control (np01, np02, ...), and every list of those columns, or of (control id, column) pairs,
// is built here from the catalogue. Ids and column names come from our own catalogue, never from
// input, so they are spliced into SQL text; values still travel as parameters.
import { CONTROL_IDS, type ControlId } from "@/lib/posture/control-catalogue";
import type { ControlStatus } from "@/lib/posture/types";

/** The stored spelling of a control status (`n/a` is not a valid enum label). */
export type StoredStatus = "pass" | "fail" | "na";

export function toStoredStatus(status: ControlStatus): StoredStatus {
  return status === "n/a" ? "na" : status;
}

export function fromStoredStatus(status: StoredStatus): ControlStatus {
  return status === "na" ? "n/a" : status;
}

/** The status column of a control: NP-01 → np01. */
export function controlColumn(id: ControlId): string {
  return id.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Every control's status column, in catalogue order. */
export const CONTROL_COLUMNS: readonly string[] = CONTROL_IDS.map(controlColumn);

/** `a.np01, a.np02, ...`: the status columns of table alias `alias`, in catalogue order. */
export function controlColumnList(alias: string): string {
  return CONTROL_COLUMNS.map((column) => `${alias}.${column}`).join(", ");
}

/** Every control's status of row `alias` as one text array, in catalogue order. */
export function controlStatusArraySql(alias: string): string {
  return `ARRAY[${controlColumnList(alias)}]::text[]`;
}

/** `(VALUES ('NP-01', a.np01), ...)`: one (control id, status) row per control, for a lateral join. */
export function controlStatusRowsSql(alias: string): string {
  return `(VALUES ${CONTROL_IDS.map((id) => `('${id}', ${alias}.${controlColumn(id)})`).join(", ")})`;
}

/** The status, in row `alias`, of the control that the SQL expression `controlIdSql` names. */
export function controlStatusOfSql(controlIdSql: string, alias: string): string {
  return `CASE ${controlIdSql} ${CONTROL_IDS.map((id) => `WHEN '${id}' THEN ${alias}.${controlColumn(id)}`).join(" ")} END`;
}
