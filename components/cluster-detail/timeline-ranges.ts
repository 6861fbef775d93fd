// The posture timeline's ranges, shared by the timeline (client) and the cluster page's loader
// (which prefetches the first one): a plain module, so the server reads the values themselves.

/** Days the timeline can show. */
export const TIMELINE_RANGES = [30, 90, 180, 365] as const;

/** The range the timeline opens with. */
export const DEFAULT_TIMELINE_DAYS = 90;
