import "server-only";
import { migrationQuery } from "@/lib/api/migration-params";
import { toKpiScope } from "@/lib/api/params";
import { getMigrationViewCached } from "@/lib/data/cached-figures";
import type { MigrationView } from "@/lib/data/get-migration-view";
import { getDatabase } from "@/lib/db/client";

/** The Migration page's loader: the route's own schema and function (a request it refuses is null: the page says so). */
export async function loadMigrationView(request: { days?: string; subscription?: string; owner?: string }): Promise<MigrationView | null> {
  const parsed = migrationQuery.safeParse(request);
  if (!parsed.success) return null;
  return getMigrationViewCached(await getDatabase(), { today: new Date(), days: parsed.data.days, scope: toKpiScope(parsed.data) });
}
