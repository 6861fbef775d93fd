-- AlterTable
ALTER TABLE "collection_runs" ADD COLUMN     "deadline_at" TIMESTAMPTZ(3),
ADD COLUMN     "distributed_plan" JSONB;

-- CreateTable
CREATE TABLE "distributed_listings" (
    "run_id" INTEGER NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "display_name" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "cluster_count" INTEGER NOT NULL DEFAULT 0,
    "complete" BOOLEAN NOT NULL DEFAULT false,
    "faults" JSONB NOT NULL DEFAULT '[]',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimed_by" TEXT,
    "settled_at" TIMESTAMPTZ(3),

    CONSTRAINT "distributed_listings_pkey" PRIMARY KEY ("run_id","subscription_id")
);

-- CreateTable
CREATE TABLE "distributed_clusters" (
    "run_id" INTEGER NOT NULL,
    "cluster_key" TEXT NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "ref" JSONB NOT NULL,
    "raw" JSON NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "result" JSON,
    "faults" JSONB NOT NULL DEFAULT '[]',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimed_by" TEXT,
    "settled_at" TIMESTAMPTZ(3),

    CONSTRAINT "distributed_clusters_pkey" PRIMARY KEY ("run_id","cluster_key")
);

-- CreateIndex
CREATE INDEX "distributed_listings_run_id_state_idx" ON "distributed_listings"("run_id", "state");

-- CreateIndex
CREATE INDEX "distributed_clusters_run_id_state_idx" ON "distributed_clusters"("run_id", "state");

-- Staging states (docs/distributed-collection.md); anything else is a bug, not data.
ALTER TABLE "distributed_listings" ADD CONSTRAINT "distributed_listings_state_check" CHECK ("state" IN ('pending', 'listed', 'failed'));
ALTER TABLE "distributed_clusters" ADD CONSTRAINT "distributed_clusters_state_check" CHECK ("state" IN ('pending', 'done'));
ALTER TABLE "distributed_clusters" ADD CONSTRAINT "distributed_clusters_result_check" CHECK (("state" = 'done') = ("result" IS NOT NULL));

-- Only a distributed run holds the run slot past its process, and only with its plan.
ALTER TABLE "collection_runs" ADD CONSTRAINT "collection_runs_deadline_needs_plan" CHECK ("deadline_at" IS NULL OR "distributed_plan" IS NOT NULL);
