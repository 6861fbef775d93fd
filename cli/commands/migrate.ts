import { Command } from "commander";

/**
 * Applies the migrations this version ships and exits. Every command and the web server do the
 * same when they start; this is for an upgrade step of its own (a Kubernetes Job, a Container Apps
 * job) that runs before the new version's servers, so that none of them waits on a migration.
 */
export function migrateCommand(): Command {
  return new Command("migrate")
    .description("apply the database migrations of this version and exit (the server and every command also do it on start)")
    .action(async () => {
      const started = new Date();
      const [{ findPendingMigrations, listMigrationNames }, { withStore }] = await Promise.all([import("@/lib/db/migrate"), import("../store")]);
      await withStore(async (db) => {
        const pending = await findPendingMigrations(db.pool);
        if (pending.length > 0) throw new Error(`migrations still pending after applying them: ${pending.join(", ")}`);
        const applied = await db.pool.query<{ name: string }>(
          "SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at >= $1 ORDER BY migration_name",
          [started],
        );
        for (const { name } of applied.rows) process.stdout.write(`applied ${name}\n`);
        process.stdout.write(`The database has all ${(await listMigrationNames()).length} migrations of this version (${applied.rows.length} applied now).\n`);
      });
    });
}
