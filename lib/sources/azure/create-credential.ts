import {
  AzureCliCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
  type AccessToken,
  type GetTokenOptions,
  type TokenCredential,
} from "@azure/identity";
import { ConfigError, type Env } from "@/lib/env";
import type { SecretRedactor } from "./redact-secrets";

/** The Microsoft Entra application of every AKS API server (the same id in every cloud). */
export const AKS_SERVER_SCOPE = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";

/** ARM tokens are asked for the audience of the endpoint they are sent to (sovereign clouds, fakes). */
export function armScopeFor(armEndpoint: string): string {
  return `${new URL(armEndpoint).origin}/.default`;
}

export type CredentialEnv = Pick<
  Env,
  | "BULKHEAD_AZURE_CREDENTIAL"
  | "BULKHEAD_ARM_ENDPOINT"
  | "BULKHEAD_ARM_TOKEN"
  | "BULKHEAD_AKS_TOKEN"
  | "AZURE_TENANT_ID"
  | "AZURE_CLIENT_ID"
  | "AZURE_CLIENT_SECRET"
  | "AZURE_FEDERATED_TOKEN_FILE"
  | "AZURE_AUTHORITY_HOST"
>;

/**
 * The credential that BULKHEAD_AZURE_CREDENTIAL names (docs/design.md §6a). Every token it hands out is
 * remembered by `redactor`, so no error message or log line can carry it.
 */
export function createCredential(env: CredentialEnv, options: { redactor: SecretRedactor; needsAksToken: boolean }): TokenCredential {
  const authorityHost = env.AZURE_AUTHORITY_HOST;
  for (const secret of [env.BULKHEAD_ARM_TOKEN, env.BULKHEAD_AKS_TOKEN, env.AZURE_CLIENT_SECRET]) options.redactor.remember(secret);
  let credential: TokenCredential;
  switch (env.BULKHEAD_AZURE_CREDENTIAL) {
    case "static-token":
      if (options.needsAksToken && !env.BULKHEAD_AKS_TOKEN) {
        throw new ConfigError(
          "Invalid configuration:\n  BULKHEAD_AKS_TOKEN: is required when BULKHEAD_AZURE_CREDENTIAL=static-token and in-cluster objects are read (or pass --no-kube)",
        );
      }
      credential = createStaticTokenCredential({ armScope: armScopeFor(env.BULKHEAD_ARM_ENDPOINT), armToken: env.BULKHEAD_ARM_TOKEN, aksToken: env.BULKHEAD_AKS_TOKEN });
      break;
    case "client-secret":
      credential = new ClientSecretCredential(required(env, "AZURE_TENANT_ID"), required(env, "AZURE_CLIENT_ID"), required(env, "AZURE_CLIENT_SECRET"), { authorityHost });
      break;
    case "workload-identity":
      credential = new WorkloadIdentityCredential({
        tenantId: required(env, "AZURE_TENANT_ID"),
        clientId: required(env, "AZURE_CLIENT_ID"),
        tokenFilePath: required(env, "AZURE_FEDERATED_TOKEN_FILE"),
        authorityHost,
      });
      break;
    case "managed-identity":
      // A client id selects a user-assigned identity; without one the system-assigned identity is used.
      credential = env.AZURE_CLIENT_ID ? new ManagedIdentityCredential({ clientId: env.AZURE_CLIENT_ID }) : new ManagedIdentityCredential();
      break;
    case "azure-cli":
      credential = new AzureCliCredential({ tenantId: env.AZURE_TENANT_ID });
      break;
    case "default":
      credential = new DefaultAzureCredential({ authorityHost, tenantId: env.AZURE_TENANT_ID });
      break;
  }
  return rememberingTokens(credential, options.redactor);
}

function required<K extends keyof CredentialEnv>(env: CredentialEnv, key: K): string {
  const value = env[key];
  if (typeof value !== "string" || value === "") {
    throw new ConfigError(`Invalid configuration:\n  ${String(key)}: is required when BULKHEAD_AZURE_CREDENTIAL=${env.BULKHEAD_AZURE_CREDENTIAL}`);
  }
  return value;
}

/** Bearer tokens given in the environment, for scripted and air-gapped use; one per audience. */
function createStaticTokenCredential(tokens: { armScope: string; armToken?: string; aksToken?: string }): TokenCredential {
  return {
    async getToken(scopes: string | string[]): Promise<AccessToken> {
      const scope = Array.isArray(scopes) ? scopes[0] : scopes;
      const token = scope === AKS_SERVER_SCOPE ? tokens.aksToken : tokens.armToken;
      if (!token) {
        const error = new Error(`no static token for ${scope === AKS_SERVER_SCOPE ? "the AKS API servers (set BULKHEAD_AKS_TOKEN)" : "Azure Resource Manager (set BULKHEAD_ARM_TOKEN)"}`);
        error.name = "CredentialUnavailableError";
        throw error;
      }
      // The lifetime is unknown; an hour keeps the SDK from asking again on every request.
      return { token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
    },
  };
}

function rememberingTokens(credential: TokenCredential, redactor: SecretRedactor): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const token = await credential.getToken(scopes, options);
      redactor.remember(token?.token);
      return token;
    },
  };
}
