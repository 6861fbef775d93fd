// The controls `bulkhead analyze` reports and fails on. Apart from the report builder so that the
// command's definition (its --help text) does not load the evaluator.
import type { ControlId } from "../posture/control-catalogue";

/** The controls whose failure fails the run when --fail-on is not given: what `analyze` always failed on, and NP-01 of IaC. */
export const DEFAULT_FAIL_ON: readonly ControlId[] = ["NP-01", "NP-02", "NP-03", "NP-06"];

/** Controls `analyze` judges (NP-07 counts policy objects cluster-wide and is not reported here). */
export const ANALYZE_CONTROLS: readonly ControlId[] = ["NP-01", "NP-02", "NP-03", "NP-04", "NP-05", "NP-06"];
