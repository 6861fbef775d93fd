import { expect, test } from "vitest";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { copyRows } from "./copy-rows";

const db = setupTestDatabase();

// Values from remote APIs (owner tags, names) reach COPY's text format: its separators and escapes
// must arrive as the characters they are.
test("text with tabs, newlines, backslashes and a literal \\N arrives unchanged; null, booleans, numbers and times keep their types", async () => {
  const client = await db.pool.connect();
  try {
    await client.query("CREATE TEMP TABLE copied (position serial, label text, flag bool, n int4, at timestamptz)");
    const rows = [
      { label: "tab\there", flag: true, n: 1, at: new Date("2026-03-01T06:00:00.123Z") },
      { label: "line\nbreak\r\nand back\\slash", flag: false, n: -2, at: null },
      { label: "\\N", flag: null, n: null, at: new Date("2026-03-02T00:00:00Z") },
      { label: null, flag: true, n: 0, at: null },
      { label: "ünïcödé ✓ 'quotes' \"double\"", flag: false, n: 2_147_483_647, at: null },
    ];
    // More rows than one chunk, so chunk boundaries are crossed.
    const many = Array.from({ length: 1_203 }, (_, i) => rows[i % rows.length]);
    await copyRows(client, "copied", [
      { name: "label", value: (r: (typeof rows)[number]) => r.label },
      { name: "flag", value: (r) => r.flag },
      { name: "n", value: (r) => r.n },
      { name: "at", value: (r) => r.at },
    ], many);
    const { rows: back } = await client.query("SELECT label, flag, n, at FROM copied ORDER BY position");
    expect(back).toHaveLength(many.length);
    expect(back.slice(0, rows.length)).toEqual(rows);
    expect(back.at(-1)).toEqual(many.at(-1));
  } finally {
    client.release();
  }
});
