import { RestError, type PipelinePolicy, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";

export interface ThrottleLimits {
  /** The longest one request may spend waiting on Retry-After, over all its attempts. */
  maxWaitPerRequestMs: number;
}

/** The run's shared gate in front of every ARM request (and Resource Graph query). */
export interface ThrottleGate {
  policy: PipelinePolicy;
  throttledCount(): number;
  /**
   * Holds every request that has not been sent yet until `at` (epoch ms), for a limit an API
   * announced without refusing a request (Resource Graph's `x-ms-user-quota-remaining: 0`).
   * `reason` is what a request that cannot wait that long says when it gives up.
   */
  holdUntil(at: number, reason: string): void;
}

/**
 * Politeness towards a throttled ARM (one gate shared by every client of a run). The SDK's retry
 * policy already waits what `Retry-After` asks before retrying the throttled request; this policy
 * adds what it does not do:
 * - other requests wait for the same moment instead of hammering the API meanwhile;
 * - the wait is bounded: a request asked to wait past its budget (Retry-After and holds together)
 *   fails at once as `throttled`, without being sent again.
 * It sits inside the retry loop ("perRetry"), so it sees every attempt's response first.
 */
export function createThrottleGate(limits: ThrottleLimits): ThrottleGate {
  let resumeAt = 0;
  let holdReason = "";
  let throttled = 0;
  const waitedByRequest = new WeakMap<PipelineRequest, number>();
  const budgetSeconds = Math.round(limits.maxWaitPerRequestMs / 1000);

  const policy: PipelinePolicy = {
    name: "bulkheadThrottleGate",
    async sendRequest(request, next) {
      const gateWait = resumeAt - Date.now();
      if (gateWait > 0) {
        const waitedBefore = waitedByRequest.get(request) ?? 0;
        if (waitedBefore + gateWait > limits.maxWaitPerRequestMs) {
          throttled += 1;
          throw new RestError(
            `throttled: ${holdReason || "the API asked every request to wait"}; the next request may go in ${Math.ceil(gateWait / 1000)} s, more than the ${budgetSeconds} s one request may wait in all`,
            { statusCode: 429, code: "ThrottledTooLong" },
          );
        }
        waitedByRequest.set(request, waitedBefore + gateWait);
        await delay(gateWait, request.abortSignal);
      }
      const response = await next(request);
      const retryAfterMs = readRetryAfterMs(response);
      if (retryAfterMs === undefined) return response;
      throttled += 1;
      const waited = (waitedByRequest.get(request) ?? 0) + retryAfterMs;
      if (waited > limits.maxWaitPerRequestMs) {
        // No `response` on the error: the SDK's throttling strategy would otherwise still wait and retry.
        throw new RestError(
          `throttled (HTTP ${response.status}): the server asked to wait ${Math.ceil(retryAfterMs / 1000)} s, more than the ${budgetSeconds} s this request may wait in all`,
          { statusCode: response.status, code: "ThrottledTooLong" },
        );
      }
      waitedByRequest.set(request, waited);
      if (Date.now() + retryAfterMs > resumeAt) {
        resumeAt = Date.now() + retryAfterMs;
        holdReason = `the server answered HTTP ${response.status} with Retry-After ${Math.ceil(retryAfterMs / 1000)} s`;
      }
      return response;
    },
  };
  return {
    policy,
    throttledCount: () => throttled,
    holdUntil(at, reason) {
      if (at <= resumeAt) return;
      resumeAt = at;
      holdReason = reason;
    },
  };
}

/** Retry-After as the SDK reads it: 429 or 503 with retry-after-ms, x-ms-retry-after-ms or Retry-After (seconds or a date). */
export function readRetryAfterMs(response: PipelineResponse): number | undefined {
  if (response.status !== 429 && response.status !== 503) return undefined;
  for (const header of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = Number(response.headers.get(header));
    if (response.headers.get(header) && Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = response.headers.get("retry-after");
  if (!retryAfter) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function delay(ms: number, signal: PipelineRequest["abortSignal"]): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(abortError());
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortError(): Error {
  const error = new Error("The operation was aborted while waiting for a throttled API.");
  error.name = "AbortError";
  return error;
}
