// What a failed run tells a person: one line with the cause and what to do, the raw text (SDK
// errors, remote answers) kept for a disclosure. Client-safe: no server imports.

export interface RunFailureSummary {
  /** One line: the cause. */
  cause: string;
  /** What to do about it, when known. */
  action: string | null;
  /** The recorded text, for "Details". */
  detail: string;
}

const RULES: { test: RegExp; cause: string; action: string }[] = [
  {
    test: /cancelled by/i,
    cause: "Stopped by an admin before it wrote anything",
    action: "nothing of it was kept; run it again when ready",
  },
  {
    test: /CredentialUnavailable|DefaultAzureCredential|ChainedTokenCredential|ManagedIdentityCredential|AzureCliCredential|EnvironmentCredential|az login|no credential|BULKHEAD_ARM_TOKEN/i,
    cause: "No Azure credentials",
    action: "set BULKHEAD_AZURE_CREDENTIAL (or sign in with az login) for the server: see docs/collection.md",
  },
  {
    test: /AADSTS\d+|invalid_client|unauthorized_client|401\b|Unauthorized/i,
    cause: "Azure did not accept the credentials",
    action: "check the client id, tenant and secret or certificate: see docs/collection.md",
  },
  {
    test: /AuthorizationFailed|does not have authorization|403\b|Forbidden/i,
    cause: "Azure refused access to the subscriptions",
    action: "grant the identity Reader on them (and the AKS Cluster User role for in-cluster data): see docs/collection.md",
  },
  {
    test: /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up|network/i,
    cause: "Azure could not be reached",
    action: "check the network, the proxy and BULKHEAD_ARM_ENDPOINT",
  },
  {
    test: /its process ended/i,
    cause: "The run's process stopped before it finished",
    action: "nothing of it was kept; run it again",
  },
  {
    test: /did not complete before its deadline/i,
    cause: "The distributed run did not finish in time",
    action: "check that bulkhead worker processes are running: see docs/distributed-collection.md",
  },
  {
    test: /before the latest completed run|records history forward/i,
    cause: "The capture time is older than the latest run",
    action: "import older exports first",
  },
  {
    test: /the source listed no subscriptions/i,
    cause: "The source listed no subscriptions",
    action: "check which subscriptions the identity can read: see docs/collection.md",
  },
];

/** The first line of a message, without the SDK's stack of causes, at most `max` characters. */
function firstLine(text: string, max = 160): string {
  const line = text.split(/\r?\n/)[0].replace(/^Nothing could be collected:\s*/, "").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function describeRunFailure(message: string | null): RunFailureSummary {
  const detail = message ?? "";
  for (const rule of RULES) if (rule.test.test(detail)) return { cause: rule.cause, action: rule.action, detail };
  return { cause: detail ? firstLine(detail) : "The run failed without a recorded cause", action: detail.length > 160 || detail.includes("\n") ? "see the details" : null, detail };
}
