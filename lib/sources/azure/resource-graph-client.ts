import { ResourceGraphClient, type ResourceGraphModels } from "@azure/arm-resourcegraph";
import { createDefaultHttpClient, createHttpHeaders, createPipelineFromOptions, createPipelineRequest } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import { buildArmPipelineOptions, type ArmPolicyConfig, type ArmTransportSettings } from "./arm-client-options";

/**
 * The GA version of `Microsoft.ResourceGraph/resources` this code is written against. The 4.x client
 * (the newest that runs on Node 20; 5.x needs Node 22) was generated for 2021-03-01; the request and
 * response of `resources` are the same in both.
 */
export const RESOURCE_GRAPH_API_VERSION = "2022-10-01";

const RESOURCES_PATH = /^\/providers\/Microsoft\.ResourceGraph\/resources$/i;

// The 4.x client is built on @azure/ms-rest-js; its types are reached through the client's own options.
type MsHttpClient = NonNullable<ResourceGraphModels.ResourceGraphClientOptions["httpClient"]>;
type MsWebResource = Parameters<MsHttpClient["sendRequest"]>[0];
type MsHttpResponse = Awaited<ReturnType<MsHttpClient["sendRequest"]>>;
type MsHttpHeaders = MsHttpResponse["headers"];

/**
 * The real Resource Graph client, sending through the same HTTP pipeline as every other ARM call of
 * the run (@azure/core-rest-pipeline, built by buildArmPipelineOptions): the same retries, per-attempt
 * timeout, shared throttle gate, TLS trust and no redirects. The client keeps what it is good at
 * (request serialisation, the bearer token, error envelopes); its own retry and redirect policies
 * are off, so nothing is retried twice and the token never follows a redirect.
 */
export function createResourceGraphClient(credential: TokenCredential, transport: ArmTransportSettings, extraPolicies: ArmPolicyConfig[] = []): ResourceGraphClient {
  const options = buildArmPipelineOptions(transport, extraPolicies);
  const pipeline = createPipelineFromOptions(options);
  // As @azure/core-client places `additionalPolicies`.
  for (const { policy, position } of options.additionalPolicies) pipeline.addPolicy(policy, { afterPhase: position === "perRetry" ? "Sign" : undefined });
  const httpClient = createDefaultHttpClient();
  const origin = new URL(transport.endpoint).origin;

  const adapter: MsHttpClient = {
    async sendRequest(resource: MsWebResource): Promise<MsHttpResponse> {
      const url = new URL(resource.url);
      // The bearer token goes only to the configured ARM endpoint.
      if (url.origin !== origin) throw new Error(`refused to send a Resource Graph request to ${url.origin}: only ${origin} is used`);
      if (RESOURCES_PATH.test(url.pathname)) url.searchParams.set("api-version", RESOURCE_GRAPH_API_VERSION);
      const request = createPipelineRequest({
        url: url.toString(),
        method: resource.method,
        headers: createHttpHeaders(resource.headers.rawHeaders()),
        body: typeof resource.body === "string" ? resource.body : undefined,
        abortSignal: resource.abortSignal,
      });
      const response = await pipeline.sendRequest(httpClient, request);
      return { request: resource, status: response.status, headers: new PlainHeaders(response.headers.toJSON()), bodyAsText: response.bodyAsText ?? null };
    },
  };

  // Tokens for the endpoint's own audience (sovereign clouds, fakes), whatever scope the old client would ask for.
  const scoped: TokenCredential = { getToken: (_scopes, getTokenOptions) => credential.getToken(transport.scope, getTokenOptions) };
  return new ResourceGraphClient(scoped, {
    baseUri: transport.endpoint,
    httpClient: adapter,
    noRetryPolicy: true,
    redirectOptions: { handleRedirects: false },
    userAgent: (defaultUserAgent) => `bulkhead ${defaultUserAgent}`,
  });
}

/** A run's AbortSignal as the old client types it (the two differ only in the `this` of `onabort`). */
export function asClientAbortSignal(signal: AbortSignal | undefined): MsWebResource["abortSignal"] {
  return signal as unknown as MsWebResource["abortSignal"];
}

/** The header collection the old client reads responses through (lower-cased names). */
class PlainHeaders implements MsHttpHeaders {
  private readonly map = new Map<string, string>();

  constructor(raw: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(raw)) this.set(name, value);
  }
  set(name: string, value: string | number): void {
    this.map.set(name.toLowerCase(), String(value));
  }
  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase());
  }
  contains(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  remove(name: string): boolean {
    return this.map.delete(name.toLowerCase());
  }
  rawHeaders(): Record<string, string> {
    return Object.fromEntries(this.map);
  }
  headersArray() {
    return [...this.map].map(([name, value]) => ({ name, value }));
  }
  headerNames(): string[] {
    return [...this.map.keys()];
  }
  headerValues(): string[] {
    return [...this.map.values()];
  }
  clone(): PlainHeaders {
    return new PlainHeaders(this.rawHeaders());
  }
  toJson(): Record<string, string> {
    return this.rawHeaders();
  }
}
