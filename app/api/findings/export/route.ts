import { z } from "zod";
import { scopeParams } from "@/lib/api/params";
import { withAuth } from "@/lib/auth/with-auth";
import { AppError } from "@/lib/errors";
import { findingsCsvParts, findingsExportFileName, findingsJsonParts } from "@/lib/findings/export-findings";
import { findingFilterParams, findingListParams, openMatchingFindings } from "@/lib/findings/list-findings";
import { streamOf } from "@/lib/http/async-chunks-stream";
import { logger } from "@/lib/logger";

/** An export holds at most this many findings (a year of a 10,000-cluster estate fits). */
export const MAX_EXPORT_ROWS = 100_000;

const input = findingFilterParams
  .extend(scopeParams.shape)
  .extend({ sort: findingListParams.shape.sort, dir: findingListParams.shape.dir, format: z.enum(["csv", "json"]).default("csv") });

async function* encoded(parts: AsyncGenerator<string, void, undefined>): AsyncGenerator<Uint8Array, void, undefined> {
  const encoder = new TextEncoder();
  for await (const part of parts) yield encoder.encode(part);
}

/**
 * CSV or JSON of exactly the filtered list (every page), for those who may export. Sent as it is
 * read (one statement through a cursor): too many matches or a bad filter is an error before the
 * first byte; a failure while sending breaks the download off rather than cutting it short.
 */
export const GET = withAuth(input, { permission: "report:export" }, async ({ db, query, request, user }) => {
  const now = new Date();
  const { format, ...filters } = query;
  const found = await openMatchingFindings(db, filters, { now, limit: MAX_EXPORT_ROWS + 1 });
  if (found.total > MAX_EXPORT_ROWS) {
    await found.close();
    throw new AppError("bad-request", `format: ${found.total} findings match; an export holds at most ${MAX_EXPORT_ROWS}, so narrow the filters`);
  }
  const fileName = findingsExportFileName(format, now);
  const passed = Object.fromEntries([...request.nextUrl.searchParams].filter(([key]) => key !== "format"));
  const parts =
    format === "csv"
      ? findingsCsvParts(found.batches)
      : findingsJsonParts({ generatedAt: now.toISOString(), generatedBy: user.email, filters: passed, count: found.total }, found.batches);
  const body = streamOf(encoded(parts), {
    error: (error, bytes) => logger.error({ user: user.email, export: fileName, bytes, err: error }, "findings export failed while streaming; the download was broken off"),
  });
  return new Response(body, {
    headers: {
      "Cache-Control": "no-store",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
