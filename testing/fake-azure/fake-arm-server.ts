import type http from "node:http";
import https from "node:https";
import type net from "node:net";
import type { FakeCluster, FakeEstate, FakeFailure, FakeSubscription } from "./fake-estate";
import { createFakeCostManagement, FAKE_COST_API_VERSIONS, type CostQueryInfo } from "./fake-cost-management";
import { createFakeResourceGraph, FAKE_RESOURCE_GRAPH_API_VERSIONS, type FakeResourceGraphOptions, type ResourceGraphRequestInfo } from "./fake-resource-graph";
import type { TestCertificate } from "./test-certificate";

export interface ArmRequestRecord {
  method: string;
  path: string;
  query: string;
  subscriptionId?: string;
  status: number;
  authorized: boolean;
  at: number;
  /** Resource Graph queries: what was asked and answered. */
  graph?: ResourceGraphRequestInfo;
  /** Cost Management queries: what was asked and answered. */
  cost?: CostQueryInfo;
}

export interface FakeArm {
  endpoint: string;
  requests: ArmRequestRecord[];
  close(): Promise<void>;
}

export interface FakeArmOptions {
  certificate: TestCertificate;
  token: string;
  /** Clusters per managedClusters page (nextLink beyond). */
  pageSize: number;
  /** The kubeconfig listClusterUserCredential returns for a cluster (YAML). */
  kubeconfigFor(cluster: FakeCluster): string | undefined;
  /** Answers to the first subscription-list requests. */
  subscriptionListFailures?: FakeFailure[];
  resourceGraph?: FakeResourceGraphOptions;
  /** Cost Management rows per page (nextLink beyond); default 1,000. */
  costPageSize?: number;
}

const COST_QUERY = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.CostManagement\/query$/i;
const CLUSTER_LIST = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters$/i;
const RESOURCE_GRAPH = /^\/providers\/Microsoft\.ResourceGraph\/resources$/i;
/** Resource Graph request bodies are small (a query and at most a few hundred subscription ids). */
const MAX_BODY_BYTES = 1024 * 1024;
const USER_CREDENTIAL = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)\/listClusterUserCredential$/i;

/**
 * A stand-in for Azure Resource Manager on 127.0.0.1 (TLS): the subscription list, managedClusters
 * list with nextLink paging, listClusterUserCredential, and Azure Resource Graph queries
 * (fake-resource-graph.ts), with ARM's body shapes and error envelopes; scripted failures per
 * subscription.
 */
export async function startFakeArm(estate: FakeEstate, options: FakeArmOptions): Promise<FakeArm> {
  const requests: ArmRequestRecord[] = [];
  const pendingListFailures = new Map(estate.subscriptions.map((s) => [s.subscriptionId, [...(s.listingFailures ?? [])]]));
  const pendingSubscriptionFailures = [...(options.subscriptionListFailures ?? [])];
  const answerGraphQuery = createFakeResourceGraph(estate, options.resourceGraph);
  const answerCostQuery = createFakeCostManagement(estate, { pageSize: options.costPageSize });
  let endpoint = "";

  const server = https.createServer({ cert: options.certificate.cert, key: options.certificate.key }, (request, response) => {
    const url = new URL(request.url ?? "/", "https://fake");
    const authorized = request.headers.authorization === `Bearer ${options.token}`;
    const record: ArmRequestRecord = { method: request.method ?? "GET", path: url.pathname, query: url.search, status: 0, authorized, at: Date.now() };
    requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      response.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-ms-request-id": `req-${requests.length}`, ...headers });
      response.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    const fail = (failure: FakeFailure, scope: string) => sendFailure(send, failure, scope, request.headers.authorization ?? "");

    if (!url.searchParams.get("api-version")) return send(400, armError("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."));
    if (!authorized) return send(401, armError("InvalidAuthenticationToken", "The access token is invalid."), { "www-authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common"' });

    if (request.method === "GET" && url.pathname === "/subscriptions") {
      const failure = pendingSubscriptionFailures.shift();
      if (failure) return fail(failure, "/subscriptions");
      return send(200, {
        value: estate.subscriptions.map((s) => ({
          id: `/subscriptions/${s.subscriptionId}`,
          subscriptionId: s.subscriptionId,
          tenantId: "72f988bf-0000-4000-8000-00000000cafe",
          displayName: s.displayName,
          state: s.state ?? "Enabled",
          subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "EnterpriseAgreement_2014-09-01", spendingLimit: "Off" },
          authorizationSource: "RoleBased",
        })),
        count: { type: "Total", value: estate.subscriptions.length },
      });
    }

    const listMatch = request.method === "GET" ? CLUSTER_LIST.exec(url.pathname) : null;
    if (listMatch) {
      const subscription = findSubscription(estate, listMatch[1]);
      record.subscriptionId = listMatch[1].toLowerCase();
      if (!subscription) return send(404, armError("SubscriptionNotFound", `The subscription '${listMatch[1]}' could not be found.`));
      const scripted = pendingListFailures.get(subscription.subscriptionId)?.shift() ?? subscription.listingAlways;
      if (scripted) return fail(scripted, `/subscriptions/${subscription.subscriptionId}`);
      const offset = Number(url.searchParams.get("$skipToken") ?? "0");
      const page = subscription.clusters.slice(offset, offset + options.pageSize).map((c) => c.resource);
      const nextOffset = offset + options.pageSize;
      const nextLink =
        nextOffset < subscription.clusters.length
          ? `${endpoint}${url.pathname}?api-version=${url.searchParams.get("api-version")}&%24skipToken=${nextOffset}`
          : undefined;
      return send(200, nextLink ? { value: page, nextLink } : { value: page });
    }

    if (request.method === "POST" && RESOURCE_GRAPH.test(url.pathname)) {
      const apiVersion = url.searchParams.get("api-version") ?? "";
      const info: ResourceGraphRequestInfo = { apiVersion, subscriptions: [], rows: 0 };
      record.graph = info;
      if (!FAKE_RESOURCE_GRAPH_API_VERSIONS.includes(apiVersion)) {
        return send(400, armError("InvalidApiVersionParameter", `The api-version '${apiVersion}' is invalid. The supported versions are '${FAKE_RESOURCE_GRAPH_API_VERSIONS.join(",")}'.`));
      }
      readJsonBody(request, (body) => {
        if (body === undefined) return send(400, armError("InvalidRequestContent", "The request content was invalid and could not be deserialized."));
        const answer = answerGraphQuery(body, info);
        if (answer.kind === "page") return send(answer.status, answer.body, answer.headers);
        if (answer.kind === "error") return send(answer.status, armError(answer.code, answer.message), answer.headers);
        sendFailure((status, failureBody, headers) => send(status, failureBody, { ...answer.headers, ...headers }), answer.failure, "/providers/Microsoft.ResourceGraph/resources", request.headers.authorization ?? "");
      });
      return;
    }

    const costMatch = request.method === "POST" ? COST_QUERY.exec(url.pathname) : null;
    if (costMatch) {
      const apiVersion = url.searchParams.get("api-version") ?? "";
      const info: CostQueryInfo = { subscriptionId: costMatch[1].toLowerCase(), apiVersion, rows: 0, filterValues: [] };
      record.subscriptionId = info.subscriptionId;
      record.cost = info;
      if (!FAKE_COST_API_VERSIONS.includes(apiVersion)) return send(400, armError("InvalidApiVersionParameter", `The api-version '${apiVersion}' is invalid.`));
      readJsonBody(request, (body) => {
        if (body === undefined) return send(400, armError("BadRequest", "The request content was invalid and could not be deserialized."));
        const answer = answerCostQuery(costMatch[1], url, body, endpoint, info);
        send(answer.status, answer.body, answer.headers);
      });
      return;
    }

    const credentialMatch = request.method === "POST" ? USER_CREDENTIAL.exec(url.pathname) : null;
    if (credentialMatch) {
      const [, subscriptionId, resourceGroup, name] = credentialMatch;
      record.subscriptionId = subscriptionId.toLowerCase();
      const cluster = findSubscription(estate, subscriptionId)?.clusters.find(
        (c) => c.name.toLowerCase() === name.toLowerCase() && c.resourceGroup.toLowerCase() === resourceGroup.toLowerCase(),
      );
      if (!cluster) return send(404, armError("ResourceNotFound", `The Resource 'Microsoft.ContainerService/managedClusters/${name}' under resource group '${resourceGroup}' was not found.`));
      if (cluster.credentialFailure) return fail(cluster.credentialFailure, url.pathname);
      const kubeconfig = options.kubeconfigFor(cluster);
      if (!kubeconfig) return send(404, armError("NotFound", "The cluster has no user credentials."));
      return send(200, { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(kubeconfig).toString("base64") }] });
    }

    return send(404, armError("InvalidResourceType", `The resource type could not be found for ${url.pathname}.`));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    endpoint,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The request body as JSON, or undefined when it is not JSON or too large. */
function readJsonBody(request: http.IncomingMessage, then: (body: unknown) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  request.on("end", () => {
    let body: unknown;
    try {
      body = size > MAX_BODY_BYTES ? undefined : JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      body = undefined;
    }
    then(body);
  });
}

function findSubscription(estate: FakeEstate, id: string): FakeSubscription | undefined {
  return estate.subscriptions.find((s) => s.subscriptionId.toLowerCase() === id.toLowerCase());
}

function armError(code: string, message: string) {
  return { error: { code, message } };
}

function sendFailure(send: (status: number, body: unknown, headers?: Record<string, string>) => void, failure: FakeFailure, scope: string, authorization: string): void {
  if ("malformed" in failure) return send(200, '{"value": [ {"id": "/subscriptions/x", "properties": ');
  switch (failure.status) {
    case 429:
      return send(429, armError("TooManyRequests", "The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00."), {
        "retry-after": String(failure.retryAfterSeconds),
      });
    case 401:
      return send(401, armError("InvalidAuthenticationToken", "The access token is invalid."));
    case 403:
      return send(403, armError("AuthorizationFailed", `The client 'bulkhead-reader' with object id '0000-cafe' does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/read' over scope '${scope}' or the scope is invalid.`));
    case 404:
      return send(404, armError("SubscriptionNotFound", `The subscription '${scope}' could not be found.`));
    default:
      // Echoes the request's Authorization header, as a broken gateway might: Bulkhead must not pass it on.
      return send(failure.status, armError("InternalServerError", `Encountered internal server error. Diagnostic information: timestamp '20260301T060000Z', request headers: {"Authorization": "${authorization}"}.`));
  }
}
