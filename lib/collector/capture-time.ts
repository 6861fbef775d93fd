import { AppError } from "@/lib/errors";

/** Clocks drift; a capture time further ahead of ours than this is a typo, not a clock. */
export const MAX_CAPTURE_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A capture time in the future would make every later run "older than the latest" and so be
 * refused until that time comes: it is refused itself instead.
 */
export function assertCaptureTimeNotAhead(capturedAt: Date, now: Date = new Date()): void {
  if (capturedAt.getTime() > now.getTime() + MAX_CAPTURE_CLOCK_SKEW_MS) {
    throw new AppError(
      "bad-request",
      `The capture time ${capturedAt.toISOString()} is more than ${MAX_CAPTURE_CLOCK_SKEW_MS / 60_000} minutes ahead of this machine's clock (${now.toISOString()}); a run records what was seen, not what will be.`,
    );
  }
}
