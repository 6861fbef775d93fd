-- The Findings list's default order is the effective due date (the agreed one, else the SLA's),
-- then the id. With this index a page in that order is read in order and stops at its last row,
-- instead of sorting every finding of the history (lib/findings/list-findings.ts, issue 20).
CREATE INDEX "findings_effective_due_idx" ON "findings" ((COALESCE("due_at", "sla_due_at")), "id");
