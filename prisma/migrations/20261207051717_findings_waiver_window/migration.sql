-- AlterTable
ALTER TABLE "findings" ADD COLUMN     "waived_from" TIMESTAMPTZ(3),
ADD COLUMN     "waived_until" TIMESTAMPTZ(3),
ADD COLUMN     "waiver_id" INTEGER;

-- CreateIndex
CREATE INDEX "findings_resolved_at_idx" ON "findings"("resolved_at");

-- CreateIndex
CREATE INDEX "waivers_finding_id_idx" ON "waivers"("finding_id");

-- Each finding's waiver window follows its waivers, whoever writes them (people, an exceptions
-- import, the demo, undo): the waiver that covers it latest, in force from its creation until it
-- expires or is revoked. Lists compare that window with the time they ask about.
CREATE FUNCTION "findings_refresh_waiver"(finding integer) RETURNS void LANGUAGE sql AS $$
  UPDATE "findings" f
     SET ("waiver_id", "waived_from", "waived_until") = (
       -- No waiver (any more): no row, and the three are set to NULL.
       SELECT w."id", w."created_at", LEAST(w."expires_at", COALESCE(w."revoked_at", w."expires_at"))
         FROM "waivers" w
        WHERE w."finding_id" = finding
        ORDER BY LEAST(w."expires_at", COALESCE(w."revoked_at", w."expires_at")) DESC, w."id" DESC
        LIMIT 1)
   WHERE f."id" = finding;
$$;

CREATE FUNCTION "findings_track_waiver"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM "findings_refresh_waiver"(OLD."finding_id"); END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."finding_id" <> OLD."finding_id") THEN
    PERFORM "findings_refresh_waiver"(NEW."finding_id");
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "waivers_track_finding_window"
AFTER INSERT OR UPDATE OR DELETE ON "waivers"
FOR EACH ROW EXECUTE FUNCTION "findings_track_waiver"();

-- The findings that have waivers already.
SELECT "findings_refresh_waiver"(id) FROM (SELECT DISTINCT "finding_id" AS id FROM "waivers") AS waived;
