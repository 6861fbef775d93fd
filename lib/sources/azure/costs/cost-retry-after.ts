import type { PipelinePolicy } from "@azure/core-rest-pipeline";

/**
 * Cost Management answers 429 with its own headers (seconds to wait per quota: query processing
 * units, the entity, the tenant), often without Retry-After; the SDK's retry and our throttle gate
 * read only Retry-After. The longest of them becomes Retry-After, so the request waits what the
 * strictest quota asks and the gate holds every other request of the run for as long.
 */
export const COST_MANAGEMENT_RETRY_HEADERS = [
  "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after",
  "x-ms-ratelimit-microsoft.costmanagement-entity-retry-after",
  "x-ms-ratelimit-microsoft.costmanagement-tenant-retry-after",
  "x-ms-ratelimit-microsoft.costmanagement-clienttype-retry-after",
] as const;

export function costManagementRetryAfterSeconds(headers: { get(name: string): string | undefined }): number | undefined {
  let longest: number | undefined;
  for (const name of COST_MANAGEMENT_RETRY_HEADERS) {
    const text = headers.get(name);
    const seconds = text === undefined ? Number.NaN : Number(text);
    if (Number.isFinite(seconds) && seconds >= 0) longest = Math.max(longest ?? 0, seconds);
  }
  return longest;
}

export function costManagementRetryAfterPolicy(): PipelinePolicy {
  return {
    name: "bulkheadCostManagementRetryAfter",
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status !== 429 || response.headers.get("retry-after")) return response;
      const seconds = costManagementRetryAfterSeconds(response.headers);
      if (seconds !== undefined) response.headers.set("retry-after", String(Math.ceil(seconds)));
      return response;
    },
  };
}
