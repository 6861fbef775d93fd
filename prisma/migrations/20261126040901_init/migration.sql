-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('running', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "ControlStatus" AS ENUM ('pass', 'fail', 'na');

-- CreateEnum
CREATE TYPE "FindingResolution" AS ENUM ('passed', 'deleted');

-- CreateTable
CREATE TABLE "subscriptions" (
    "id" TEXT NOT NULL,
    "display_name" TEXT,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_listed_at" TIMESTAMPTZ(3),

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "clusters" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "arm_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "resource_group" TEXT NOT NULL,
    "location" TEXT,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "latest_snapshot_id" BIGINT,
    "owner" TEXT NOT NULL,
    "production" BOOLEAN NOT NULL,
    "engine" TEXT NOT NULL,

    CONSTRAINT "clusters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "collection_runs" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'running',
    "captured_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "subscriptions_listed" INTEGER NOT NULL DEFAULT 0,
    "subscriptions_failed" INTEGER NOT NULL DEFAULT 0,
    "clusters_seen" INTEGER NOT NULL DEFAULT 0,
    "clusters_with_in_cluster" INTEGER NOT NULL DEFAULT 0,
    "clusters_deleted" INTEGER NOT NULL DEFAULT 0,
    "error_count" INTEGER NOT NULL DEFAULT 0,
    "failure_message" TEXT,
    "options" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "collection_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_subscriptions" (
    "run_id" INTEGER NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "listed" BOOLEAN NOT NULL,
    "cluster_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "run_subscriptions_pkey" PRIMARY KEY ("run_id","subscription_id")
);

-- CreateTable
CREATE TABLE "run_errors" (
    "id" SERIAL NOT NULL,
    "run_id" INTEGER NOT NULL,
    "scope" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_errors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "raw_documents" (
    "hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "raw_documents_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "snapshots" (
    "id" BIGSERIAL NOT NULL,
    "run_id" INTEGER NOT NULL,
    "cluster_id" INTEGER NOT NULL,
    "captured_at" TIMESTAMPTZ(3) NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "production" BOOLEAN NOT NULL,
    "raw_network_policy" TEXT,
    "network_plugin" TEXT,
    "network_plugin_mode" TEXT,
    "network_dataplane" TEXT,
    "pod_link_local_access" TEXT,
    "node_count" INTEGER NOT NULL,
    "engine" TEXT NOT NULL,
    "engine_enabled" BOOLEAN NOT NULL,
    "has_in_cluster_data" BOOLEAN NOT NULL,
    "in_cluster_captured_at" TIMESTAMPTZ(3),
    "np01" "ControlStatus" NOT NULL,
    "np02" "ControlStatus" NOT NULL,
    "np03" "ControlStatus" NOT NULL,
    "np04" "ControlStatus" NOT NULL,
    "np05" "ControlStatus" NOT NULL,
    "np06" "ControlStatus" NOT NULL,
    "np07" "ControlStatus" NOT NULL,
    "controls_passed" INTEGER NOT NULL,
    "controls_failed" INTEGER NOT NULL,
    "allow_any_count" INTEGER NOT NULL,
    "controls" JSONB NOT NULL,
    "allow_any_rules" JSONB NOT NULL,
    "namespaces" JSONB NOT NULL,
    "advisories" JSONB NOT NULL,
    "cluster_doc_hash" TEXT NOT NULL,
    "in_cluster_doc_hash" TEXT,

    CONSTRAINT "snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "posture_intervals" (
    "id" BIGSERIAL NOT NULL,
    "cluster_id" INTEGER NOT NULL,
    "snapshot_id" BIGINT NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3),
    "subscription_id" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "production" BOOLEAN NOT NULL,
    "engine_enabled" BOOLEAN NOT NULL,
    "np01" "ControlStatus" NOT NULL,
    "np02" "ControlStatus" NOT NULL,
    "np03" "ControlStatus" NOT NULL,
    "np04" "ControlStatus" NOT NULL,
    "np05" "ControlStatus" NOT NULL,
    "np06" "ControlStatus" NOT NULL,
    "np07" "ControlStatus" NOT NULL,
    "controls_passed" INTEGER NOT NULL,
    "controls_failed" INTEGER NOT NULL,
    "allow_any_count" INTEGER NOT NULL,

    CONSTRAINT "posture_intervals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "findings" (
    "id" SERIAL NOT NULL,
    "cluster_id" INTEGER NOT NULL,
    "control_id" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "opened_snapshot_id" BIGINT NOT NULL,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_snapshot_id" BIGINT,
    "resolution" "FindingResolution",
    "subscription_id" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "production" BOOLEAN NOT NULL,
    "assignee" TEXT,
    "due_at" TIMESTAMPTZ(3),

    CONSTRAINT "findings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finding_events" (
    "id" BIGSERIAL NOT NULL,
    "finding_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "finding_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "waivers" (
    "id" SERIAL NOT NULL,
    "finding_id" INTEGER NOT NULL,
    "cluster_id" INTEGER NOT NULL,
    "control_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "waivers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "clusters_key_key" ON "clusters"("key");

-- CreateIndex
CREATE INDEX "clusters_subscription_id_idx" ON "clusters"("subscription_id");

-- CreateIndex
CREATE INDEX "clusters_owner_idx" ON "clusters"("owner");

-- CreateIndex
CREATE INDEX "collection_runs_status_captured_at_idx" ON "collection_runs"("status", "captured_at");

-- CreateIndex
CREATE INDEX "run_errors_run_id_idx" ON "run_errors"("run_id");

-- CreateIndex
CREATE INDEX "snapshots_cluster_id_captured_at_idx" ON "snapshots"("cluster_id", "captured_at");

-- CreateIndex
CREATE UNIQUE INDEX "snapshots_run_id_cluster_id_key" ON "snapshots"("run_id", "cluster_id");

-- CreateIndex
CREATE INDEX "posture_intervals_valid_from_idx" ON "posture_intervals"("valid_from");

-- CreateIndex
CREATE INDEX "posture_intervals_valid_to_idx" ON "posture_intervals"("valid_to");

-- CreateIndex
CREATE INDEX "posture_intervals_cluster_id_valid_from_idx" ON "posture_intervals"("cluster_id", "valid_from");

-- CreateIndex
CREATE INDEX "findings_control_id_resolved_at_idx" ON "findings"("control_id", "resolved_at");

-- CreateIndex
CREATE INDEX "findings_cluster_id_control_id_idx" ON "findings"("cluster_id", "control_id");

-- CreateIndex
CREATE INDEX "findings_opened_at_idx" ON "findings"("opened_at");

-- CreateIndex
CREATE INDEX "finding_events_finding_id_at_idx" ON "finding_events"("finding_id", "at");

-- CreateIndex
CREATE INDEX "waivers_cluster_id_control_id_idx" ON "waivers"("cluster_id", "control_id");

-- AddForeignKey
ALTER TABLE "clusters" ADD CONSTRAINT "clusters_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_subscriptions" ADD CONSTRAINT "run_subscriptions_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "collection_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_errors" ADD CONSTRAINT "run_errors_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "collection_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "collection_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "posture_intervals" ADD CONSTRAINT "posture_intervals_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "findings" ADD CONSTRAINT "findings_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_events" ADD CONSTRAINT "finding_events_finding_id_fkey" FOREIGN KEY ("finding_id") REFERENCES "findings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "waivers" ADD CONSTRAINT "waivers_finding_id_fkey" FOREIGN KEY ("finding_id") REFERENCES "findings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
