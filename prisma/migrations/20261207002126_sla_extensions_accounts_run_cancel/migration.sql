-- AlterEnum
ALTER TYPE "RunStatus" ADD VALUE 'cancelled';

-- AlterTable
ALTER TABLE "collection_runs" ADD COLUMN     "cancel_requested_at" TIMESTAMPTZ(3),
ADD COLUMN     "cancel_requested_by" TEXT,
ADD COLUMN     "progress" JSONB;

-- AlterTable
ALTER TABLE "findings" ADD COLUMN     "due_reason" TEXT,
ADD COLUMN     "sla_due_at" TIMESTAMPTZ(3);

-- Existing findings get the SLA due date they had before this change: the end of the UTC day the
-- control's SLA ran out, counted from the day the finding opened, with the SLA in force now (an
-- admin's override, else the catalogue's default as of this release). An explicit due date stays the
-- agreed due date: later than the SLA due date it is an extension made before a reason was asked,
-- and says so; earlier (a tighter target) it needs no reason. Nothing moves: what was overdue stays
-- overdue, and what breached its SLA now shows as a breach even where it was extended (docs/findings.md).
UPDATE "findings" f
   SET "sla_due_at" = (date_trunc('day', f."opened_at" AT TIME ZONE 'UTC')
                       + make_interval(days => COALESCE(cs."sla_days", policy."default_sla_days") + 1)) AT TIME ZONE 'UTC'
                      - interval '1 millisecond'
  FROM (VALUES ('NP-01', 30), ('NP-02', 30), ('NP-03', 45), ('NP-04', 14), ('NP-05', 14), ('NP-06', 14), ('NP-07', 30))
       AS policy("control_id", "default_sla_days")
  LEFT JOIN "control_settings" cs ON cs."control_id" = policy."control_id"
 WHERE policy."control_id" = f."control_id";
-- A control this release does not know (none today) keeps the default of 30 days.
UPDATE "findings" f
   SET "sla_due_at" = (date_trunc('day', f."opened_at" AT TIME ZONE 'UTC') + interval '31 days') AT TIME ZONE 'UTC' - interval '1 millisecond'
 WHERE f."sla_due_at" IS NULL;
UPDATE "findings"
   SET "due_reason" = 'Extended before Bulkhead asked for a reason (recorded by the upgrade)'
 WHERE "due_at" IS NOT NULL AND "due_at" > "sla_due_at";
ALTER TABLE "findings" ALTER COLUMN "sla_due_at" SET NOT NULL;

-- AlterTable
ALTER TABLE "auth_users" ADD COLUMN     "disabled_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "admin_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "admin_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "admin_events_at_idx" ON "admin_events"("at");

-- The account trail is append-only, like the findings' trail.
CREATE FUNCTION "admin_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'admin_events is append-only (% refused)', TG_OP;
END;
$$;

CREATE TRIGGER "admin_events_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "admin_events"
  FOR EACH ROW EXECUTE FUNCTION "admin_events_append_only"();
