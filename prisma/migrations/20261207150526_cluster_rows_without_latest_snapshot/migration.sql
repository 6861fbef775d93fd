-- Issue 20: a run rewrote every cluster row only to move its latest snapshot and last sighting.
-- Both are read from `snapshots` by its (cluster_id, captured_at) index now
-- (lib/db/latest-snapshot.ts), so the columns go; nothing needs converting. Undo journals written
-- before this still restore their clusters: the dropped keys of their rows are ignored.
-- AlterTable
ALTER TABLE "clusters" DROP COLUMN "last_seen_at",
DROP COLUMN "latest_snapshot_id";
