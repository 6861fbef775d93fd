import { seriesColor } from "./trend-chart";
import type { TrendTable as TrendTableModel } from "./trend-table-model";

/** The chart's figures as a table, newest first: what the CSV exports, cell for cell. */
export function TrendTable({ table, caption }: { table: TrendTableModel; caption: string }) {
  return (
    <div
      className="relative max-h-[32rem] overflow-auto rounded-lg border border-slate-200 print:max-h-none print:overflow-visible"
      tabIndex={0}
      role="region"
      aria-label={`${caption}: table`}
    >
      <table className="w-full border-collapse text-sm" data-testid="trend-table">
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 z-10 bg-slate-50">
          <tr>
            <th scope="col" className="border-b border-slate-200 px-3 py-2 text-left font-medium whitespace-nowrap text-slate-700">
              {table.firstHeader}
            </th>
            {table.columns.map((column, index) => (
              <th key={column.id} scope="col" className="border-b border-slate-200 px-3 py-2 text-right font-medium text-slate-700" data-header={column.header}>
                <span className="inline-flex items-center justify-end gap-1.5">
                  <span aria-hidden className="inline-block h-0.5 w-3 [print-color-adjust:exact]" style={{ background: seriesColor(index, column.kind) }} />
                  <span>{column.header}</span>
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.day} className="border-b border-slate-100 last:border-0 even:bg-slate-50/60">
              <th scope="row" className="px-3 py-1.5 text-left font-normal whitespace-nowrap text-slate-700">
                <time dateTime={row.day}>{row.day}</time>
              </th>
              {row.texts.map((text, index) => (
                <td key={table.columns[index].id} className="px-3 py-1.5 text-right font-mono text-slate-900 tabular-nums">
                  {text === "" ? (
                    <>
                      <span aria-hidden>–</span>
                      <span className="sr-only">no data</span>
                    </>
                  ) : (
                    text
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
