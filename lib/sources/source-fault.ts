// A leaf module: the cost reader (lib/costs) and the source interface both name faults, and the
// source interface names the cost types, so the fault types live apart from both.

/** Why part of a run failed; stored on the run and grouped in summaries. */
export type FaultCause =
  | "forbidden"
  | "not-found"
  | "throttled"
  | "server-error"
  | "timeout"
  | "unreachable"
  | "malformed"
  | "unauthenticated"
  | "unknown";

export interface SourceFault {
  cause: FaultCause;
  message: string;
}
