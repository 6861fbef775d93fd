import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { readRetryAfterMs, type ThrottleGate } from "./throttle-policy";

/** Resource Graph's per-user quota window when a 429 names no wait of its own (15 queries per 5 s by default). */
export const RESOURCE_GRAPH_DEFAULT_WINDOW_MS = 5_000;

/** `hh:mm:ss` (as Resource Graph sends it), also with days (`d.hh:mm:ss`) or fractions of a second. */
const TIME_SPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/;

/** `x-ms-user-quota-resets-after` in milliseconds; undefined when absent or not a time span. */
export function parseQuotaResetsAfter(value: string | undefined | null): number | undefined {
  const match = value ? TIME_SPAN.exec(value.trim()) : null;
  if (!match) return undefined;
  const [, days, hours, minutes, seconds] = match;
  return Math.ceil(((Number(days ?? 0) * 24 + Number(hours)) * 3600 + Number(minutes) * 60 + Number(seconds)) * 1000);
}

/**
 * Azure Resource Graph's own throttling headers, turned into what the run's throttle gate and the
 * SDK's retry policy understand (Resource Graph guidance on throttled requests):
 * - `x-ms-user-quota-remaining: 0` on any answer: no further query is sent until
 *   `x-ms-user-quota-resets-after` has passed (a gate hold, bounded like any throttling wait);
 * - a 429 without `Retry-After`: given one from the reset time (or the default window), so it is
 *   waited out and retried like an ARM 429 instead of failing at once; a 429 with `Retry-After`
 *   is ARM's, and waited as ARM asks.
 * It sits closer to the wire than the gate ("perRetry", added after it), so the gate sees the result.
 */
export function createResourceGraphQuotaPolicy(gate: Pick<ThrottleGate, "holdUntil">): PipelinePolicy {
  return {
    name: "bulkheadResourceGraphQuota",
    async sendRequest(request, next) {
      const response = await next(request);
      const remainingText = response.headers.get("x-ms-user-quota-remaining");
      const remaining = remainingText !== undefined && /^-?\d+$/.test(remainingText.trim()) ? Number(remainingText) : undefined;
      const resetsAfterText = response.headers.get("x-ms-user-quota-resets-after");
      const resetsAfterMs = parseQuotaResetsAfter(resetsAfterText);
      // A 429 that says nothing of the quota is taken as the quota's; one with quota left is ARM's own throttling.
      const quotaSpent = remaining !== undefined ? remaining <= 0 : response.status === 429;
      if (quotaSpent && resetsAfterMs !== undefined) {
        gate.holdUntil(Date.now() + resetsAfterMs, `the Azure Resource Graph quota is used up (x-ms-user-quota-remaining: ${remaining ?? "?"}, resets after ${resetsAfterText})`);
      }
      if (response.status === 429 && readRetryAfterMs(response) === undefined) {
        const waitMs = quotaSpent && resetsAfterMs !== undefined ? resetsAfterMs : RESOURCE_GRAPH_DEFAULT_WINDOW_MS;
        response.headers.set("retry-after-ms", String(Math.max(waitMs, 1_000)));
      }
      return response;
    },
  };
}
