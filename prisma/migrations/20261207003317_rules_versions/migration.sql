-- AlterEnum
ALTER TYPE "FindingResolution" ADD VALUE 'superseded';

-- Rules versions (docs/design.md §3). Everything stored before this migration counts as rules
-- version 1: its evidence has no policy objects or problems, so `bulkhead reevaluate` (which the CLI
-- and the admin banner offer on the next start) judges it again. The defaults only fill the rows
-- that exist; new rows always say which rules made them.
ALTER TABLE "evaluations" ADD COLUMN     "policies" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "problems" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "rules_version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "evaluations" ALTER COLUMN "policies" DROP DEFAULT,
ALTER COLUMN "problems" DROP DEFAULT,
ALTER COLUMN "rules_version" DROP DEFAULT;

-- The policy kinds a snapshot's in-cluster objects hold (the clusters table filters by them). What
-- was collected before this migration held Kubernetes NetworkPolicies only.
ALTER TABLE "snapshots" ADD COLUMN     "policy_kinds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "rules_version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "snapshots" ALTER COLUMN "rules_version" DROP DEFAULT;
UPDATE "snapshots" s SET "policy_kinds" = ARRAY['NetworkPolicy']
  FROM "raw_documents" d
 WHERE d."hash" = s."in_cluster_doc_hash" AND jsonb_typeof(d."body"->'policies') = 'array' AND jsonb_array_length(d."body"->'policies') > 0;

-- CreateTable
CREATE TABLE "reevaluations" (
    "id" SERIAL NOT NULL,
    "rules_version" INTEGER NOT NULL,
    "config_hash" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "phase" TEXT NOT NULL DEFAULT 'judging',
    "started_by" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "from_rules_version" INTEGER,
    "documents_total" INTEGER NOT NULL DEFAULT 0,
    "documents_done" INTEGER NOT NULL DEFAULT 0,
    "documents_failed" INTEGER NOT NULL DEFAULT 0,
    "snapshots" INTEGER NOT NULL DEFAULT 0,
    "intervals" INTEGER NOT NULL DEFAULT 0,
    "findings_kept" INTEGER NOT NULL DEFAULT 0,
    "findings_moved" INTEGER NOT NULL DEFAULT 0,
    "findings_opened" INTEGER NOT NULL DEFAULT 0,
    "findings_closed" INTEGER NOT NULL DEFAULT 0,
    "failure_message" TEXT,

    CONSTRAINT "reevaluations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reevaluation_results" (
    "reevaluation_id" INTEGER NOT NULL,
    "cluster_doc_hash" TEXT NOT NULL,
    "in_cluster_doc_hash" TEXT NOT NULL,
    "columns" JSONB,

    CONSTRAINT "reevaluation_results_pkey" PRIMARY KEY ("reevaluation_id","cluster_doc_hash","in_cluster_doc_hash")
);

-- CreateIndex
CREATE INDEX "reevaluations_status_idx" ON "reevaluations"("status");

-- CreateIndex
CREATE INDEX "evaluations_rules_version_idx" ON "evaluations"("rules_version");

-- AddForeignKey
ALTER TABLE "reevaluation_results" ADD CONSTRAINT "reevaluation_results_reevaluation_id_fkey" FOREIGN KEY ("reevaluation_id") REFERENCES "reevaluations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
