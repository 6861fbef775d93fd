-- AlterEnum
ALTER TYPE "RunStatus" ADD VALUE 'undone';

-- AlterTable
ALTER TABLE "collection_runs" ADD COLUMN     "undone_at" TIMESTAMPTZ(3),
ADD COLUMN     "undone_by" TEXT;

-- CreateTable
CREATE TABLE "run_undo_journal" (
    "id" BIGSERIAL NOT NULL,
    "run_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "ref_id" BIGINT,
    "before" JSONB,

    CONSTRAINT "run_undo_journal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_undo_archive" (
    "id" BIGSERIAL NOT NULL,
    "run_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "row" JSONB NOT NULL,
    "archived_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_undo_archive_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "run_undo_journal_run_id_kind_idx" ON "run_undo_journal"("run_id", "kind");

-- CreateIndex
CREATE INDEX "run_undo_archive_run_id_idx" ON "run_undo_archive"("run_id");

-- The audit trail stays append-only, with one deliberate exception: undoing a run
-- (`bulkhead runs undo-last`) removes the findings that run opened, and their events, after
-- copying them whole into run_undo_archive. The undo marks its transaction with
-- bulkhead.undo_run; nothing else may delete, and nothing may ever update.
CREATE OR REPLACE FUNCTION "finding_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(current_setting('bulkhead.undo_run', true), '') <> '' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'finding_events is append-only (% refused)', TG_OP;
END;
$$;
