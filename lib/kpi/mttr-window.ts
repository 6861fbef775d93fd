// Apart from the KPI queries so that `bulkhead kpis --help` can name it without loading them.

/** MTTR is measured over this many days before --as-of unless --from says otherwise. */
export const DEFAULT_MTTR_WINDOW_DAYS = 30;
