import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

export interface CopyColumn<Row> {
  name: string;
  /** null or undefined is written as NULL; a Date as ISO 8601; a list of strings as an array; everything else as its text. */
  value: (row: Row) => string | number | boolean | Date | readonly string[] | null | undefined;
}

// COPY's text format: backslash, newline, carriage return and tab are escaped, \N is NULL.
const SPECIAL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A Postgres array literal of strings, every element quoted: `{"a","b"}`. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, (match) => `\\${match}`)}"`).join(",")}}`;
}

function field(value: ReturnType<CopyColumn<unknown>["value"]>): string {
  if (value === null || value === undefined) return "\\N";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return arrayLiteral(value).replace(SPECIAL, (match) => ESCAPES[match]);
  if (typeof value === "boolean") return value ? "t" : "f";
  return String(value).replace(SPECIAL, (match) => ESCAPES[match]);
}

const ROWS_PER_CHUNK = 500;

/**
 * Writes rows with `COPY … FROM STDIN`, the fastest way into Postgres: no per-row statement and
 * no array literals to build and parse. For plain inserts only (no ON CONFLICT, no RETURNING).
 */
export async function copyRows<Row>(client: pg.ClientBase, table: string, columns: CopyColumn<Row>[], rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map((column) => `"${column.name}"`).join(", ");
  const stream = client.query(copyFrom(`COPY "${table}" (${names}) FROM STDIN`));
  function* chunks(): Generator<string> {
    for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
      let text = "";
      for (const row of rows.slice(start, start + ROWS_PER_CHUNK)) {
        text += `${columns.map((column) => field(column.value(row))).join("\t")}\n`;
      }
      yield text;
    }
  }
  await pipeline(Readable.from(chunks()), stream);
}

export interface StagingColumn<Row> extends CopyColumn<Row> {
  /** Its type in the staging table, e.g. "text", "int4". */
  type: string;
}

/**
 * Writes rows through a staging table: COPY into a temporary table (no WAL, no indexes), then one
 * `INSERT … SELECT` from it (`insertSql` reads the table named `staging`), where COPY alone cannot
 * do what the write needs (ON CONFLICT, a cast or a split of a document into columns). Returns the
 * rows the insert wrote.
 */
export async function copyViaStaging<Row>(
  client: pg.ClientBase,
  staging: string,
  columns: StagingColumn<Row>[],
  rows: readonly Row[],
  insertSql: string,
): Promise<number> {
  if (rows.length === 0) return 0;
  // Created and dropped around each use: this works inside the caller's transaction or without one.
  await client.query(`DROP TABLE IF EXISTS pg_temp."${staging}"; CREATE TEMP TABLE "${staging}" (${columns.map((column) => `"${column.name}" ${column.type}`).join(", ")})`);
  // On failure the table is left to the rollback (or to the next use, which drops it first).
  await copyRows(client, staging, columns, rows);
  const written = (await client.query(insertSql)).rowCount ?? 0;
  await client.query(`DROP TABLE pg_temp."${staging}"`);
  return written;
}
