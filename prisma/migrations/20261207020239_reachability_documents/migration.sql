-- Reachability stored per snapshot (docs/design.md §4.5, docs/reachability.md): the document in
-- reachability_documents, once per distinct content like evaluations; the lateral exposure and the
-- workload pods it is weighted by beside the other judged columns, and on the posture intervals the
-- KPI trends read (§5). Snapshots recorded before this have none: `bulkhead reevaluate` fills them
-- from their raw documents (the rules status asks for it while any is missing).

-- AlterTable
ALTER TABLE "snapshots" ADD COLUMN     "lateral_exposure" DECIMAL(4,1),
ADD COLUMN     "reachability_hash" TEXT,
ADD COLUMN     "workload_pods" INTEGER;

-- AlterTable
ALTER TABLE "posture_intervals" ADD COLUMN     "lateral_exposure" DECIMAL(4,1),
ADD COLUMN     "workload_pods" INTEGER;

-- CreateTable
CREATE TABLE "reachability_documents" (
    "hash" TEXT NOT NULL,
    "body" JSON NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reachability_documents_pkey" PRIMARY KEY ("hash")
);

-- Snapshots whose in-cluster data has no stored reachability yet: what the rules status looks for
-- (one index probe), empty once `bulkhead reevaluate` has judged history again. New snapshots never
-- enter it, so it costs collection nothing.
CREATE INDEX "snapshots_reachability_missing_idx" ON "snapshots" ("id") WHERE "has_in_cluster_data" AND "reachability_hash" IS NULL;
