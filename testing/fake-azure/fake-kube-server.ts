import { randomBytes } from "node:crypto";
import https from "node:https";
import net from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FakeKubeCluster } from "./fake-estate";
import type { TestCertificate } from "./test-certificate";

export interface KubeRequestRecord {
  path: string;
  limit?: number;
  continueToken?: string;
  authorized: boolean;
  at: number;
}

export interface FakeKubeApi {
  /** What the kubeconfig names as `server`. */
  url: string;
  requests: KubeRequestRecord[];
  close(): Promise<void>;
}

const LISTS = {
  "/api/v1/namespaces": { kind: "NamespaceList", apiVersion: "v1", field: "namespaces" },
  "/apis/networking.k8s.io/v1/networkpolicies": { kind: "NetworkPolicyList", apiVersion: "networking.k8s.io/v1", field: "policies" },
} as const;

/**
 * A stand-in for one AKS API server on 127.0.0.1: lists Namespaces and NetworkPolicies the way
 * kube-apiserver does (items without kind, `limit` and opaque `continue` tokens, Status objects on
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
    requests.push({ path: url.pathname, limit, continueToken, authorized, at: Date.now() });
    if (cluster.behaviour === "hang") return; // accepted, never answered

    if (!authorized || cluster.behaviour === "unauthorized") return sendStatus(response, 401, "Unauthorized", "Unauthorized");
    const list = LISTS[url.pathname as keyof typeof LISTS];
    if (!list) return sendStatus(response, 404, "NotFound", `the server could not find the requested resource (${url.pathname})`);
    if (cluster.behaviour === "forbidden") {
      // Echoes the bearer token, as a careless proxy might: Bulkhead must not pass it on.
      return sendStatus(response, 403, "Forbidden", `${list.field} is forbidden: User "aad:bulkhead" (token ${options.token}) cannot list resource at the cluster scope`);
    }
    if (cluster.behaviour === "malformed") {
      response.writeHead(200, { "content-type": "application/json" });
      return response.end(`{"kind":"${list.kind}","items":[{"metadata":`);
    }

    const all = (list.field === "namespaces" ? cluster.namespaces : cluster.policies).map(stripTypeMeta);
    let offset = 0;
    if (continueToken) {
      const [tokenNonce, tokenOffset] = Buffer.from(continueToken, "base64url").toString().split(":");
      if (tokenNonce !== nonce) return sendStatus(response, 410, "Expired", "The provided continue parameter is too old to display a consistent list result.");
      offset = Number(tokenOffset);
    }
    const size = limit && limit > 0 ? limit : all.length;
    const items = all.slice(offset, offset + size);
    const next = offset + size < all.length ? Buffer.from(`${nonce}:${offset + size}`).toString("base64url") : undefined;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({
        kind: list.kind,
        apiVersion: list.apiVersion,
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
