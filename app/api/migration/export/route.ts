import { migrationListParams } from "@/lib/api/migration-params";
import { withAuth } from "@/lib/auth/with-auth";
import { getMigrationViewForRequest } from "@/lib/data/cached-figures";
import { migrationCsv, migrationCsvFileName } from "@/lib/data/migration-csv";
import { filterByVerdict } from "@/lib/data/migration-page";

/**
 * CSV of every NPM cluster in scope (or of one verdict), what the Migration page lists page by page.
 * Anyone who may read the page may take its list away: it holds nothing the page does not show.
 */
export const GET = withAuth(migrationListParams, { permission: "posture:read" }, async ({ db, query }) => {
  const view = await getMigrationViewForRequest(db, query);
  return new Response(migrationCsv(filterByVerdict(view.clusters, query.verdict)), {
    headers: {
      "Cache-Control": "no-store",
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${migrationCsvFileName(view.today)}"`,
    },
  });
});
