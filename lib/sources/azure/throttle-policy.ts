import { RestError, type PipelinePolicy, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";

export interface ThrottleLimits {
  /** The longest one request may spend waiting on Retry-After, over all its attempts. */
  maxWaitPerRequestMs: number;
}

/**
 * Politeness towards a throttled ARM (one gate shared by every client of a run). The SDK's retry
 * policy already waits what `Retry-After` asks before retrying the throttled request; this policy
 * adds what it does not do:
 * - other requests wait for the same moment instead of hammering the API meanwhile;
 * - the wait is bounded: a request asked to wait past its budget fails at once as `throttled`.
 * It sits inside the retry loop ("perRetry"), so it sees every attempt's response first.
 */
export function createThrottleGate(limits: ThrottleLimits): { policy: PipelinePolicy; throttledCount(): number } {
  let resumeAt = 0;
  let throttled = 0;
  const waitedByRequest = new WeakMap<PipelineRequest, number>();

  const policy: PipelinePolicy = {
    name: "bulkheadThrottleGate",
    async sendRequest(request, next) {
      const gateWait = resumeAt - Date.now();
      if (gateWait > 0) await delay(gateWait, request.abortSignal);
      const response = await next(request);
      const retryAfterMs = readRetryAfterMs(response);
      if (retryAfterMs === undefined) return response;
      throttled += 1;
      const waited = (waitedByRequest.get(request) ?? 0) + retryAfterMs;
      if (waited > limits.maxWaitPerRequestMs) {
        // No `response` on the error: the SDK's throttling strategy would otherwise still wait and retry.
        throw new RestError(
          `throttled (HTTP ${response.status}): the server asked to wait ${Math.ceil(retryAfterMs / 1000)} s, more than the ${Math.round(limits.maxWaitPerRequestMs / 1000)} s this request may wait in all`,
          { statusCode: response.status, code: "ThrottledTooLong" },
        );
      }
      waitedByRequest.set(request, waited);
      resumeAt = Math.max(resumeAt, Date.now() + retryAfterMs);
      return response;
    },
  };
  return { policy, throttledCount: () => throttled };
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
