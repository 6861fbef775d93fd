import { z } from "zod";
import { scopeParams } from "@/lib/api/params";
import { withAuth } from "@/lib/auth/with-auth";
import { AppError } from "@/lib/errors";
import { findingsExportFileName, findingsToCsv, type FindingsExport } from "@/lib/findings/export-findings";
import { findingFilterParams, findingListParams, listMatchingFindings } from "@/lib/findings/list-findings";

/** An export holds at most this many findings (a year of a 10,000-cluster estate fits). */
export const MAX_EXPORT_ROWS = 100_000;

const input = findingFilterParams
  .extend(scopeParams.shape)
  .extend({ sort: findingListParams.shape.sort, dir: findingListParams.shape.dir, format: z.enum(["csv", "json"]).default("csv") });

/** CSV or JSON of exactly the filtered list (every page), for those who may export. */
export const GET = withAuth(input, { permission: "report:export" }, async ({ db, query, request, user }) => {
  const now = new Date();
  const { format, ...filters } = query;
  const { rows, total } = await listMatchingFindings(db, filters, { now, limit: MAX_EXPORT_ROWS + 1 });
  if (total > MAX_EXPORT_ROWS) throw new AppError("bad-request", `format: ${total} findings match; an export holds at most ${MAX_EXPORT_ROWS}, so narrow the filters`);
  const headers = { "Cache-Control": "no-store", "Content-Disposition": `attachment; filename="${findingsExportFileName(format, now)}"` };
  if (format === "csv") return new Response(findingsToCsv(rows), { headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
  const passed = Object.fromEntries([...request.nextUrl.searchParams].filter(([key]) => key !== "format"));
  const body: FindingsExport = { generatedAt: now.toISOString(), generatedBy: user.email, filters: passed, count: rows.length, findings: rows };
  return new Response(JSON.stringify(body, null, 2), { headers: { ...headers, "Content-Type": "application/json; charset=utf-8" } });
});
