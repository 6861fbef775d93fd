import { expect, test } from "vitest";
import { CONTROL_IDS, CONTROLS } from "@/lib/posture";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { CONTROL_COLUMNS, controlColumn, controlStatusArraySql, controlStatusOfSql, controlStatusRowsSql, fromStoredStatus, toStoredStatus } from "./control-columns";

const db = setupTestDatabase();

test("the catalogue's ids are unique and each names its own column", () => {
  expect(new Set(CONTROL_IDS).size).toBe(CONTROLS.length);
  expect(CONTROL_IDS).toEqual(CONTROLS.map((control) => control.id));
  expect(controlColumn("NP-01")).toBe("np01");
  expect(new Set(CONTROL_COLUMNS).size).toBe(CONTROLS.length);
});

test("n/a is stored as na and read back", () => {
  for (const status of ["pass", "fail", "n/a"] as const) expect(fromStoredStatus(toStoredStatus(status))).toBe(status);
  expect(toStoredStatus("n/a")).toBe("na");
});

// A control added to the catalogue without its migration fails here, not in a run at 2 a.m.
test("every control of the catalogue has a status column in snapshots and posture_intervals", async () => {
  const { rows } = await db.pool.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name IN ('snapshots', 'posture_intervals') AND udt_name = 'ControlStatus'`,
  );
  for (const table of ["snapshots", "posture_intervals"]) {
    const columns = rows.filter((row) => row.table_name === table).map((row) => row.column_name).sort();
    expect(columns, table).toEqual([...CONTROL_COLUMNS].sort());
  }
});

test("the SQL fragments read every control in catalogue order", async () => {
  const values = CONTROL_COLUMNS.map((column, index) => `'${["pass", "fail", "na"][index % 3]}'::"ControlStatus" AS ${column}`).join(", ");
  const expected = CONTROL_COLUMNS.map((_, index) => ["pass", "fail", "na"][index % 3]);
  const statuses = await db.pool.query<{ statuses: string[] }>(`SELECT ${controlStatusArraySql("t")} AS statuses FROM (SELECT ${values}) t`);
  expect(statuses.rows[0].statuses).toEqual(expected);

  const pairs = await db.pool.query<{ control_id: string; status: string }>(
    `SELECT r.control_id, r.status::text FROM (SELECT ${values}) t CROSS JOIN LATERAL ${controlStatusRowsSql("t")} AS r(control_id, status)`,
  );
  expect(pairs.rows).toEqual(CONTROL_IDS.map((id, index) => ({ control_id: id, status: expected[index] })));

  for (const [index, id] of CONTROL_IDS.entries()) {
    const one = await db.pool.query<{ status: string }>(`SELECT (${controlStatusOfSql("$1::text", "t")})::text AS status FROM (SELECT ${values}) t`, [id]);
    expect(one.rows[0].status, id).toBe(expected[index]);
  }
});
