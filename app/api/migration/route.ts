import { migrationQuery } from "@/lib/api/migration-params";
import { withHandler } from "@/lib/auth/with-handler";
import { getMigrationViewForRequest } from "@/lib/data/cached-figures";

/** The NPM → Cilium migration (docs/migration.md): burn-down, owners, and every NPM cluster's readiness. */
export const GET = withHandler(migrationQuery, ({ db, query }) => getMigrationViewForRequest(db, query));
