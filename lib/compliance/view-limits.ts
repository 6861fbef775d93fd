/** The Compliance page lists at most this many clusters per requirement and outcome; the evidence pack has them all. */
export const VIEW_CLUSTER_LIMIT = 100;
