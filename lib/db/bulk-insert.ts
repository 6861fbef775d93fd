import type pg from "pg";

export interface BulkColumn<Row> {
  name: string;
  /** Postgres array element type, e.g. "text", "int4", "timestamptz", "jsonb", `"ControlStatus"`. */
  type: string;
  value: (row: Row) => unknown;
}

/**
 * One multi-row INSERT from column arrays (`unnest`), the fast path for thousands of rows without
 * COPY. `suffix` carries ON CONFLICT / RETURNING clauses.
 */
export async function bulkInsert<Row, Result extends pg.QueryResultRow = pg.QueryResultRow>(
  client: pg.ClientBase,
  table: string,
  columns: BulkColumn<Row>[],
  rows: readonly Row[],
  suffix = "",
): Promise<Result[]> {
  if (rows.length === 0) return [];
  const names = columns.map((column) => `"${column.name}"`).join(", ");
  const arrays = columns.map((column, index) => `$${index + 1}::${column.type}[]`).join(", ");
  const values = columns.map((column) =>
    rows.map((row) => {
      const value = column.value(row);
      return column.type === "jsonb" && value !== null && value !== undefined ? JSON.stringify(value) : value;
    }),
  );
  const result = await client.query<Result>(`INSERT INTO "${table}" (${names}) SELECT * FROM unnest(${arrays}) ${suffix}`, values);
  return result.rows;
}
