import { randomBytes } from "node:crypto";
import https from "node:https";
import net from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FakeCustomResource, FakeKubeCluster, FakeKubeResource } from "./fake-estate";
import type { TestCertificate } from "./test-certificate";

export interface KubeRequestRecord {
  path: string;
  limit?: number;
  continueToken?: string;
  fieldSelector?: string;
  accept?: string;
  authorized: boolean;
  at: number;
}

export interface FakeKubeApi {
  /** What the kubeconfig names as `server`. */
  url: string;
  requests: KubeRequestRecord[];
  close(): Promise<void>;
}

interface ServedList {
  resource: FakeKubeResource;
  kind: string;
  apiVersion: string;
  items: (cluster: FakeKubeCluster) => unknown[] | undefined;
}

const custom = (resource: FakeCustomResource, kind: string, apiVersion: string): ServedList => ({
  resource,
  kind: `${kind}List`,
  apiVersion,
  items: (cluster) => cluster.custom?.[resource],
});

/** Every listing path the fake serves; a custom resource the cluster has no objects for is not installed (404). */
const LISTS: Record<string, ServedList> = {
  "/api/v1/namespaces": { resource: "namespaces", kind: "NamespaceList", apiVersion: "v1", items: (cluster) => cluster.namespaces },
  "/apis/networking.k8s.io/v1/networkpolicies": { resource: "networkpolicies", kind: "NetworkPolicyList", apiVersion: "networking.k8s.io/v1", items: (cluster) => cluster.policies },
  "/api/v1/pods": { resource: "pods", kind: "PodList", apiVersion: "v1", items: (cluster) => cluster.pods ?? [] },
  "/api/v1/services": { resource: "services", kind: "ServiceList", apiVersion: "v1", items: (cluster) => cluster.services ?? [] },
  "/apis/cilium.io/v2/ciliumnetworkpolicies": custom("ciliumnetworkpolicies.cilium.io", "CiliumNetworkPolicy", "cilium.io/v2"),
  "/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies": custom("ciliumclusterwidenetworkpolicies.cilium.io", "CiliumClusterwideNetworkPolicy", "cilium.io/v2"),
  "/apis/projectcalico.org/v3/networkpolicies": custom("networkpolicies.projectcalico.org", "NetworkPolicy", "projectcalico.org/v3"),
  "/apis/projectcalico.org/v3/globalnetworkpolicies": custom("globalnetworkpolicies.projectcalico.org", "GlobalNetworkPolicy", "projectcalico.org/v3"),
  "/apis/crd.projectcalico.org/v1/networkpolicies": custom("networkpolicies.crd.projectcalico.org", "NetworkPolicy", "crd.projectcalico.org/v1"),
  "/apis/crd.projectcalico.org/v1/globalnetworkpolicies": custom("globalnetworkpolicies.crd.projectcalico.org", "GlobalNetworkPolicy", "crd.projectcalico.org/v1"),
  "/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies": custom("adminnetworkpolicies.policy.networking.k8s.io", "AdminNetworkPolicy", "policy.networking.k8s.io/v1alpha1"),
  "/apis/policy.networking.k8s.io/v1alpha1/baselineadminnetworkpolicies": custom("baselineadminnetworkpolicies.policy.networking.k8s.io", "BaselineAdminNetworkPolicy", "policy.networking.k8s.io/v1alpha1"),
  "/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies": custom("clusternetworkpolicies.policy.networking.k8s.io", "ClusterNetworkPolicy", "policy.networking.k8s.io/v1alpha2"),
};

const METADATA_LIST = /(^|[;,\s])as=PartialObjectMetadataList/;

/**
 * A stand-in for one AKS API server on 127.0.0.1: lists Namespaces, NetworkPolicies, Pods and the
 * policy custom resources the way kube-apiserver does (items without kind, `limit` and opaque
 * `continue` tokens, `fieldSelector` on pod phase, metadata-only lists when asked for
 * `as=PartialObjectMetadataList`, 404 for a resource whose CRD is not installed, Status objects on
 * errors), accepting only `Bearer <token>`.
 */
export async function startFakeKubeApi(cluster: FakeKubeCluster, options: { certificate: TestCertificate; token: string }): Promise<FakeKubeApi> {
  const requests: KubeRequestRecord[] = [];
  if (cluster.behaviour === "unreachable") {
    return { url: `https://127.0.0.1:${await findClosedPort()}`, requests, close: async () => {} };
  }
  // Continue tokens are opaque to clients; the nonce makes a forged or stale one detectable.
  const nonce = randomBytes(6).toString("hex");
  const server = https.createServer({ cert: options.certificate.cert, key: options.certificate.key }, (request, response) => {
    const url = new URL(request.url ?? "/", "https://fake");
    const authorized = request.headers.authorization === `Bearer ${options.token}`;
    const limit = url.searchParams.has("limit") ? Number(url.searchParams.get("limit")) : undefined;
    const continueToken = url.searchParams.get("continue") ?? undefined;
    const fieldSelector = url.searchParams.get("fieldSelector") ?? undefined;
    const accept = request.headers.accept;
    requests.push({ path: url.pathname, limit, continueToken, fieldSelector, accept, authorized, at: Date.now() });
    if (cluster.behaviour === "hang") return; // accepted, never answered

    if (!authorized || cluster.behaviour === "unauthorized") return sendStatus(response, 401, "Unauthorized", "Unauthorized");
    const list = LISTS[url.pathname];
    const stored = list?.items(cluster);
    if (!list || !stored) return sendStatus(response, 404, "NotFound", "the server could not find the requested resource");
    const special = cluster.resourceBehaviour?.[list.resource];
    if (special === "hang") return;
    if (cluster.behaviour === "forbidden" || special === "forbidden") {
      // Echoes the bearer token, as a careless proxy might: Bulkhead must not pass it on.
      return sendStatus(response, 403, "Forbidden", `${list.resource} is forbidden: User "aad:bulkhead" (token ${options.token}) cannot list resource at the cluster scope`);
    }
    if (special === "server-error") return sendStatus(response, 503, "ServiceUnavailable", `the server is currently unable to handle the request (get ${list.resource})`);
    if (cluster.behaviour === "malformed" || special === "malformed") {
      response.writeHead(200, { "content-type": "application/json" });
      return response.end(`{"kind":"${list.kind}","items":[{"metadata":`);
    }

    const metadataOnly = list.resource === "pods" && typeof accept === "string" && METADATA_LIST.test(accept);
    const all = selectByPhase(stored, fieldSelector).map((item) => (metadataOnly ? toPartialObjectMetadata(item) : stripTypeMeta(item)));
    let offset = 0;
    if (continueToken) {
      const [tokenNonce, tokenOffset] = Buffer.from(continueToken, "base64url").toString().split(":");
      if (tokenNonce !== nonce) return sendStatus(response, 410, "Expired", "The provided continue parameter is too old to display a consistent list result.");
      offset = Number(tokenOffset);
    }
    const size = limit && limit > 0 ? limit : all.length;
    const items = all.slice(offset, offset + size);
    const next = offset + size < all.length ? Buffer.from(`${nonce}:${offset + size}`).toString("base64url") : undefined;
    response.writeHead(200, { "content-type": metadataOnly ? "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1" : "application/json" });
    response.end(
      JSON.stringify({
        kind: metadataOnly ? "PartialObjectMetadataList" : list.kind,
        apiVersion: metadataOnly ? "meta.k8s.io/v1" : list.apiVersion,
        metadata: { resourceVersion: "4242", ...(next ? { continue: next, remainingItemCount: all.length - offset - size } : {}) },
        items,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The field selectors Bulkhead sends: `status.phase!=X` terms, joined by commas. */
function selectByPhase(items: unknown[], fieldSelector: string | undefined): unknown[] {
  if (!fieldSelector) return items;
  const excluded = fieldSelector.split(",").map((term) => /^status\.phase!=(\w+)$/.exec(term.trim())?.[1]);
  if (excluded.some((phase) => phase === undefined)) throw new Error(`the fake API server does not understand fieldSelector ${fieldSelector}`);
  return items.filter((item) => !excluded.includes(((item as { status?: { phase?: string } }).status?.phase) ?? ""));
}

/** What kube-apiserver sends for `as=PartialObjectMetadataList`: kind, apiVersion and metadata, nothing else. */
function toPartialObjectMetadata(item: unknown): unknown {
  const { metadata } = (item ?? {}) as { metadata?: unknown };
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata };
}

/** The API server sends list items without kind and apiVersion (kubectl adds them back). */
function stripTypeMeta(item: unknown): unknown {
  if (!item || typeof item !== "object") return item;
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = item as Record<string, unknown>;
  return rest;
}

function sendStatus(response: ServerResponse<IncomingMessage>, code: number, reason: string, message: string): void {
  response.writeHead(code, { "content-type": "application/json" });
  response.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code }));
}

/** A port nothing listens on: connections are refused at once, like a firewalled private cluster's would not be, but deterministically. */
async function findClosedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
