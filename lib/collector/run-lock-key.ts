// Apart from the run record (./run-record, which brings the collector's write path) so that every CLI
// command can read the rules' status (cli/store.ts) without loading what only a run needs.

/** One key for "a collection run writes". */
export const RUN_LOCK_KEY = 0x42_48_52_4e; // "BHRN"
