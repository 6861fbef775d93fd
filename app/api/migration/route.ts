import { migrationQuery } from "@/lib/api/migration-params";
import { toKpiScope } from "@/lib/api/params";
import { withHandler } from "@/lib/auth/with-handler";
import { getMigrationViewCached } from "@/lib/data/cached-figures";

/** The NPM → Cilium migration (docs/migration.md): burn-down, owners, and every NPM cluster's readiness. */
export const GET = withHandler(migrationQuery, ({ db, query }) => getMigrationViewCached(db, { today: new Date(), days: query.days, scope: toKpiScope(query) }));
