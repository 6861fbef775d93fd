-- Evaluation evidence moves out of snapshots into content-addressed rows (docs/storage.md): most
-- clusters judge the same from one day to the next, so a year of snapshots shares few evaluations.

-- CreateTable
CREATE TABLE "evaluations" (
    "hash" TEXT NOT NULL,
    "controls" JSONB NOT NULL,
    "allow_any_rules" JSONB NOT NULL,
    "namespaces" JSONB NOT NULL,
    "advisories" JSONB NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evaluations_pkey" PRIMARY KEY ("hash")
);

-- Existing snapshots: hashed here from the jsonb text. The collector hashes its own JSON text, so
-- content stored before this migration may be stored once more under the collector's hash; the
-- hash only has to name the content, not be the same across the two.
ALTER TABLE "snapshots" ADD COLUMN "evaluation_hash" TEXT;

UPDATE "snapshots"
   SET "evaluation_hash" = encode(sha256(convert_to(
         jsonb_build_array("controls", "allow_any_rules", "namespaces", "advisories")::text, 'UTF8')), 'hex');

INSERT INTO "evaluations" ("hash", "controls", "allow_any_rules", "namespaces", "advisories", "first_seen_at")
SELECT DISTINCT ON ("evaluation_hash") "evaluation_hash", "controls", "allow_any_rules", "namespaces", "advisories", "captured_at"
  FROM "snapshots"
 ORDER BY "evaluation_hash", "captured_at";

-- AlterTable
ALTER TABLE "snapshots" DROP COLUMN "advisories",
DROP COLUMN "allow_any_rules",
DROP COLUMN "controls",
DROP COLUMN "namespaces",
ALTER COLUMN "evaluation_hash" SET NOT NULL;

-- Every run updates every cluster row (last seen, latest snapshot): room on each page lets those be
-- HOT updates that touch no index.
ALTER TABLE "clusters" SET (fillfactor = 50);
