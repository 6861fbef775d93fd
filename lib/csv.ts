import Papa from "papaparse";

/**
 * Every CSV the product writes goes through here. A cell that starts with =, +, -, @, a tab or a
 * carriage return is a formula to Excel and LibreOffice (CSV injection: an owner tag named
 * `=HYPERLINK(…)` would run when a report is opened); such cells, header cells included (owner
 * tags become column names), get a leading ' so spreadsheets show them as text.
 */
export function toSafeCsv(fields: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return Papa.unparse({ fields: [...fields], data: rows.map((row) => [...row]) }, { escapeFormulae: true });
}

/**
 * More rows of a CSV begun by `toSafeCsv`, with the line break that joins them to it: a CSV sent in
 * parts is byte for byte the CSV of all its rows at once.
 */
export function toSafeCsvRows(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.length ? `\r\n${Papa.unparse(rows.map((row) => [...row]), { escapeFormulae: true })}` : "";
}
