/** Who the audit trail names for what Bulkhead does itself (a run opening a finding, a waiver running out). */
export const SYSTEM_ACTOR = "bulkhead";
