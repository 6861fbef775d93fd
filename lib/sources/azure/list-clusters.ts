import type { TokenCredential } from "@azure/identity";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { asRecord } from "@/lib/posture/untrusted-json";
import type { SourceFault, SubscriptionListing } from "../source";
import { buildArmPipelineOptions, type ArmTransportSettings } from "./arm-client-options";
import { MalformedResponseError, toSourceFault } from "./fault-cause";
import { flattenManagedCluster } from "./flatten-managed-cluster";
import type { SecretRedactor } from "./redact-secrets";

export interface ListClustersOptions {
  credential: TokenCredential;
  transport: ArmTransportSettings;
  redactor: SecretRedactor;
  /** A listing with more pages than this is recorded as incomplete (nothing is inferred deleted). */
  maxPages: number;
  signal?: AbortSignal;
}

/**
 * Every AKS cluster of one subscription (`managedClusters.list`, page by page through `nextLink`).
 * The SDK does the HTTP work (token, retries, Retry-After); the items are taken from the raw page
 * bodies because its model drops fields it does not know (see flattenManagedCluster). A failure is
 * a failed listing with its cause, never a throw.
 */
export async function listClusters(subscriptionId: string, options: ListClustersOptions): Promise<SubscriptionListing> {
  const recorder = createBodyRecorder();
  const client = new ContainerServiceClient(options.credential, subscriptionId, {
    ...buildArmPipelineOptions(options.transport, [{ policy: recorder.policy, position: "perCall" }]),
    credentials: { scopes: [options.transport.scope] },
  });
  const clusters: unknown[] = [];
  const origin = new URL(options.transport.endpoint).origin;
  let link: string | undefined;
  try {
    for (let page = 0; page < options.maxPages; page++) {
      recorder.reset();
      const pages = client.managedClusters.list({ abortSignal: options.signal }).byPage(link ? { continuationToken: link } : undefined);
      try {
        await pages.next();
      } catch (error) {
        // The SDK's model can choke on a 200 body of the wrong shape; say what was wrong with it.
        if (recorder.status() === 200) readPage(recorder.body());
        throw error;
      }
      const body = readPage(recorder.body());
      clusters.push(...body.items.map(flattenManagedCluster));
      if (!body.nextLink) return { subscriptionId, ok: true, clusters };
      // The token goes wherever nextLink points: only follow links back to the same ARM endpoint.
      if (!URL.canParse(body.nextLink) || new URL(body.nextLink).origin !== origin) {
        throw new MalformedResponseError(`nextLink points outside ${origin}; not followed`);
      }
      if (body.nextLink === link) throw new MalformedResponseError("nextLink repeats the page just read");
      link = body.nextLink;
    }
    const fault: SourceFault = { cause: "malformed", message: `listing clusters: more than ${options.maxPages} pages; the rest was not read and no deletion is inferred` };
    return { subscriptionId, ok: true, clusters, faults: [{ target: subscriptionId, fault }] };
  } catch (error) {
    const errorBody = recorder.status() >= 400 ? recorder.body() : undefined;
    return { subscriptionId, ok: false, fault: toSourceFault(error, "listing AKS clusters", options.redactor, errorBody) };
  }
}

function readPage(text: string | undefined): { items: unknown[]; nextLink?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text ?? "");
  } catch {
    throw new MalformedResponseError("the managedClusters page is not valid JSON");
  }
  const record = asRecord(body);
  if (!record || !Array.isArray(record.value)) throw new MalformedResponseError('the managedClusters page has no "value" array');
  const nextLink = record.nextLink;
  if (nextLink !== undefined && nextLink !== null && typeof nextLink !== "string") throw new MalformedResponseError('the managedClusters page has a "nextLink" that is not a string');
  return { items: record.value, nextLink: typeof nextLink === "string" && nextLink !== "" ? nextLink : undefined };
}

/**
 * Keeps the last response body this client received, after retries. One listing client reads one
 * page at a time, so "the last body" is the page the SDK just returned.
 */
function createBodyRecorder() {
  let last: { status: number; body?: string } | undefined;
  const policy: PipelinePolicy = {
    name: "bulkheadRawBodyRecorder",
    async sendRequest(request, next) {
      const response = await next(request);
      last = { status: response.status, body: response.bodyAsText ?? undefined };
      return response;
    },
  };
  return { policy, reset: () => (last = undefined), status: () => last?.status ?? 0, body: () => last?.body };
}
