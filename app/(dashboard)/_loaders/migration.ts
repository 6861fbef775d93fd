import "server-only";
import { migrationPageQuery } from "@/lib/api/migration-params";
import { getMigrationViewForRequest } from "@/lib/data/cached-figures";
import { pageOfMigrationView, type MigrationPage } from "@/lib/data/migration-page";
import { getDatabase } from "@/lib/db/client";

/** The Migration page's loader: the route's own schema and view, one page of its cluster list (a request it refuses is null: the page says so). */
export async function loadMigrationPage(request: Record<string, string | undefined>): Promise<MigrationPage | null> {
  const parsed = migrationPageQuery.safeParse(request);
  if (!parsed.success) return null;
  const { page, pageSize, verdict } = parsed.data;
  const view = await getMigrationViewForRequest(await getDatabase(), parsed.data);
  return pageOfMigrationView(view, { page, pageSize, verdict });
}
