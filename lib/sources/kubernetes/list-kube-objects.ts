import { CoreV1Api, KubeConfig, NetworkingV1Api, Observable, ResponseContext, type ConfigurationOptions } from "@kubernetes/client-node";
import type { InClusterData } from "@/lib/posture";
import { asRecord } from "@/lib/posture/untrusted-json";
import { MalformedResponseError } from "@/lib/sources/source";

export interface KubeApiTarget {
  /** https URL of the API server. */
  server: string;
  /** PEM of the cluster CA; without it the public roots are trusted. */
  certificateAuthority?: string;
  tlsServerName?: string;
  /** Bearer token; used only in the Authorization header. */
  token: string;
}

export interface ListKubeObjectsOptions {
  /** Aborts every request in flight (the per-cluster deadline, or the run stopping). */
  signal: AbortSignal;
  /** Objects per page (`limit`); the API server keeps its memory bounded that way, and so do we. */
  pageSize: number;
  /** A listing with more pages than this is refused rather than read for ever. */
  maxPages: number;
}

export const DEFAULT_KUBE_PAGE_SIZE = 250;
export const DEFAULT_KUBE_MAX_PAGES = 200;

/**
 * The Namespace and NetworkPolicy objects of one cluster, as `kubectl get namespaces -o json` and
 * `kubectl get networkpolicies -A -o json` would list them: every page (`limit` / `continue`),
 * items with `kind` and `apiVersion`, without `managedFields`. Bodies are read raw, not through the
 * client's typed models, so fields the models do not know still reach the evaluator.
 */
export async function listKubeObjects(target: KubeApiTarget, options: ListKubeObjectsOptions): Promise<InClusterData> {
  const kubeConfig = kubeConfigFor(target);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const networking = kubeConfig.makeApiClient(NetworkingV1Api);

  const [namespaces, policies] = await Promise.all([
    listAllPages("namespaces", { kind: "Namespace", apiVersion: "v1" }, options, (page, config) =>
      core.listNamespace({ limit: options.pageSize, _continue: page }, config),
    ),
    listAllPages("networkpolicies", { kind: "NetworkPolicy", apiVersion: "networking.k8s.io/v1" }, options, (page, config) =>
      networking.listNetworkPolicyForAllNamespaces({ limit: options.pageSize, _continue: page }, config),
    ),
  ]);
  return { namespaces, policies };
}

/** A client configuration for one API server: its CA, our bearer token, TLS verified. */
export function kubeConfigFor(target: KubeApiTarget): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: "target",
        server: target.server,
        caData: target.certificateAuthority ? Buffer.from(target.certificateAuthority).toString("base64") : undefined,
        tlsServerName: target.tlsServerName,
        skipTLSVerify: false,
      },
    ],
    users: [{ name: "bulkhead", token: target.token }],
    contexts: [{ name: "target", cluster: "target", user: "bulkhead" }],
    currentContext: "target",
  });
  return kubeConfig;
}

export type PageRequest = (continueToken: string | undefined, config: ConfigurationOptions) => Promise<unknown>;

/** Every item of every page of one listing, in order. */
export async function listAllPages(
  resource: string,
  type: { kind: string; apiVersion: string },
  options: ListKubeObjectsOptions,
  request: PageRequest,
): Promise<unknown[]> {
  const items: unknown[] = [];
  await forEachPage(resource, type, options, request, (page) => items.push(...page));
  return items;
}

/**
 * Reads a listing page by page (`limit` / `continue`), handing each page's items to `visit` as it
 * arrives, so a caller that reduces them (pods to pod classes) never holds the whole listing.
 */
export async function forEachPage(
  resource: string,
  type: { kind: string; apiVersion: string },
  options: ListKubeObjectsOptions,
  request: PageRequest,
  visit: (items: unknown[]) => void,
): Promise<void> {
  const seenTokens = new Set<string>();
  let continueToken: string | undefined;
  for (let page = 0; page < options.maxPages; page++) {
    const capture = captureRawBody(options.signal);
    try {
      await request(continueToken, capture.config);
    } catch (error) {
      // A 2xx body the typed client could not parse is malformed; anything else is the API's answer.
      if (capture.status() >= 200 && capture.status() < 300) readListBody(resource, capture.body());
      throw error;
    }
    const list = readListBody(resource, capture.body());
    visit(list.items.map((item) => normaliseItem(item, type)));
    if (!list.continueToken) return;
    if (seenTokens.has(list.continueToken)) throw new MalformedResponseError(`${resource}: the API server repeated a continue token`);
    seenTokens.add(list.continueToken);
    continueToken = list.continueToken;
  }
  throw new MalformedResponseError(`${resource}: more than ${options.maxPages} pages of ${options.pageSize}; not read further`);
}

/** Hands the request our abort signal and keeps the response body as text before the typed client parses it. */
function captureRawBody(signal: AbortSignal) {
  let text = "";
  let status = 0;
  const config: ConfigurationOptions = {
    middleware: [
      {
        pre(context) {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post(response) {
          return new Observable(
            response.body.text().then((body) => {
              status = response.httpStatusCode;
              text = body;
              return new ResponseContext(response.httpStatusCode, response.headers, { text: async () => body, binary: async () => Buffer.from(body), stream: () => null });
            }),
          );
        },
      },
    ],
    middlewareMergeStrategy: "append",
  };
  return { config, body: () => text, status: () => status };
}

function readListBody(resource: string, text: string): { items: unknown[]; continueToken?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new MalformedResponseError(`${resource}: the API server's answer is not valid JSON`);
  }
  const record = asRecord(body);
  if (!record || !(Array.isArray(record.items) || record.items === null)) {
    throw new MalformedResponseError(`${resource}: the API server's answer is not a list (no "items" array)`);
  }
  const token = asRecord(record.metadata)?.continue;
  return { items: Array.isArray(record.items) ? record.items : [], continueToken: typeof token === "string" && token !== "" ? token : undefined };
}

/** What kubectl prints: kind and apiVersion on every item, managedFields left out. */
function normaliseItem(item: unknown, type: { kind: string; apiVersion: string }): unknown {
  const record = asRecord(item);
  if (!record) return item;
  const metadata = asRecord(record.metadata);
  const { managedFields: _managedFields, ...restMetadata } = metadata ?? {};
  return {
    kind: record.kind ?? type.kind,
    apiVersion: record.apiVersion ?? type.apiVersion,
    ...record,
    ...(metadata ? { metadata: restMetadata } : {}),
  };
}
