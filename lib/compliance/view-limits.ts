/** The Compliance page lists at most this many clusters per requirement and outcome; the evidence pack has them all. */
export const VIEW_CLUSTER_LIMIT = 100;

/** A requirement's clusters by outcome, as the page lists them: failing, waived, passing, without evidence. */
export const EVIDENCE_LISTS = ["fail", "waived", "pass", "na"] as const;
export type EvidenceList = (typeof EVIDENCE_LISTS)[number];

/** Clusters the page shows of a list at first, and adds with each "Show more". */
export const EVIDENCE_PAGE = 20;
