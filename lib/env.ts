import path from "node:path";
import { Cron } from "croner";
import { z } from "zod";
import { LOG_LEVELS } from "./log-levels";
import { parseTrustedProxies } from "@/lib/http/client-address";
import { ConfigError } from "./config-error";

const DEFAULT_SYSTEM_NAMESPACES =
  "kube-system,kube-public,kube-node-lease,gatekeeper-system,calico-system,tigera-operator,app-routing-system";

const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean))
    .refine((items) => items.length > 0, "must list at least one value");

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== "" ? value.trim() : undefined));

/** A bearer token goes into a header as it is: whitespace would split or forge the header. */
const bearerToken = optionalString.refine((value) => value === undefined || !/\s/.test(value), "must be one token without spaces or line breaks (no \"Bearer \" prefix)");

/** Five fields (minute precision) or six (with seconds), as croner reads them. */
export function isValidCron(expression: string): boolean {
  try {
    new Cron(expression, { paused: true, mode: "5-or-6-parts" }).stop();
    return true;
  } catch {
    return false;
  }
}

const envSchema = z
  .object({
    DATABASE_URL: optionalString.refine(
      (value) => value === undefined || /^postgres(ql)?:\/\//.test(value),
      "must be a postgres:// or postgresql:// URL",
    ),
    BULKHEAD_DATA_DIR: z.string().default(".bulkhead"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    BULKHEAD_OWNER_TAG_KEYS: csv("owner,team"),
    BULKHEAD_ENV_TAG_KEYS: csv("environment,env"),
    BULKHEAD_PROD_VALUES: csv("prod,production"),
    BULKHEAD_SYSTEM_NAMESPACES: csv(DEFAULT_SYSTEM_NAMESPACES),
    BULKHEAD_AZURE_CREDENTIAL: z
      .enum(["default", "client-secret", "workload-identity", "managed-identity", "azure-cli", "static-token"])
      .default("default"),
    // https only: the SDK's bearer-token policy refuses to send a token over plain http.
    BULKHEAD_ARM_ENDPOINT: z
      .url({ protocol: /^https$/, error: "must be an https:// URL (for example https://management.azure.com)" })
      .default("https://management.azure.com")
      .transform((value) => value.replace(/\/+$/, "")),
    BULKHEAD_ARM_TOKEN: bearerToken,
    BULKHEAD_AKS_TOKEN: bearerToken,
    AZURE_TENANT_ID: optionalString,
    AZURE_CLIENT_ID: optionalString,
    AZURE_CLIENT_SECRET: optionalString,
    AZURE_FEDERATED_TOKEN_FILE: optionalString,
    // Sovereign clouds sign in elsewhere (login.microsoftonline.us, ...); @azure/identity reads the same name.
    AZURE_AUTHORITY_HOST: optionalString.refine((value) => value === undefined || /^https:\/\/[^\s/]+/.test(value), "must be an https:// URL (for example https://login.microsoftonline.com)"),
    BULKHEAD_KUBE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
    // `collect --inventory auto`: Azure Resource Graph above this many subscriptions, per-subscription ARM listing up to it.
    // An empty value is unset (the default), not 0.
    BULKHEAD_RESOURCE_GRAPH_THRESHOLD: z.preprocess(
      (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
      z.coerce.number().int("must be a whole number").min(0).max(100_000).default(50),
    ),
    // Server logs (lib/logger.ts reads the same variable, before the rest is validated).
    BULKHEAD_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
    BULKHEAD_COLLECT_CRON: optionalString.refine(
      (value) => value === undefined || isValidCron(value),
      "must be a cron expression with 5 fields (minute hour day month weekday) or 6 (seconds first), e.g. \"0 6 * * *\"",
    ),
    // Sign-in. The secret signs session cookies; unset, one is kept in the data directory.
    BULKHEAD_AUTH_SECRET: optionalString.refine((value) => value === undefined || value.length >= 32, "must be at least 32 characters"),
    BULKHEAD_PUBLIC_URL: optionalString.refine((value) => value === undefined || /^https?:\/\/[^\s/]+/.test(value), "must be the http(s):// address users open"),
    BULKHEAD_ENTRA_TENANT_ID: optionalString,
    BULKHEAD_ENTRA_CLIENT_ID: optionalString,
    BULKHEAD_ENTRA_CLIENT_SECRET: optionalString,
    BULKHEAD_DEFAULT_ROLE: z.enum(["viewer", "finops", "security", "admin"]).default("viewer"),
    BULKHEAD_DEMO_ACCOUNTS: z.enum(["0", "1"]).default("0").transform((value) => value === "1"),
    BULKHEAD_SIGNIN_RATE_LIMIT: z
      .string()
      .regex(/^\d+\/\d+$/, "must be ATTEMPTS/SECONDS, e.g. 10/60")
      .default("10/60")
      .transform((value) => {
        const [max, window] = value.split("/").map(Number);
        return { max, window };
      }),
    // Who may say who the client is (X-Forwarded-For): nobody (the socket's peer is the client), a number of
    // proxy hops in front of the server, or the proxies' addresses/CIDR ranges.
    BULKHEAD_TRUSTED_PROXIES: z.string().optional().transform((value, ctx) => {
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `${(error as Error).message} (give a number of hops, e.g. 1, or addresses/CIDR ranges, e.g. 10.0.0.0/8,192.0.2.7)` });
        return z.NEVER;
      }
    }),
    // Bearer token of /metrics; unset, the endpoint does not exist. Long and random: it guards the KPIs.
    BULKHEAD_METRICS_TOKEN: optionalString.refine(
      (value) => value === undefined || (value.length >= 32 && !/\s/.test(value)),
      "must be at least 32 characters without spaces (for example the output of `openssl rand -hex 32`)",
    ),
    BULKHEAD_WEBHOOK_URL: optionalString.refine((value) => value === undefined || /^https?:\/\/[^\s/]+/.test(value), "must be an http(s):// URL"),
  })
  .superRefine((env, ctx) => {
    if (env.BULKHEAD_AZURE_CREDENTIAL === "client-secret") {
      for (const key of ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when BULKHEAD_AZURE_CREDENTIAL=client-secret" });
      }
    }
    if (env.BULKHEAD_AZURE_CREDENTIAL === "workload-identity") {
      for (const key of ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when BULKHEAD_AZURE_CREDENTIAL=workload-identity" });
      }
    }
    const entra = [env.BULKHEAD_ENTRA_TENANT_ID, env.BULKHEAD_ENTRA_CLIENT_ID, env.BULKHEAD_ENTRA_CLIENT_SECRET];
    if (entra.some(Boolean) && !entra.every(Boolean)) {
      for (const key of ["BULKHEAD_ENTRA_TENANT_ID", "BULKHEAD_ENTRA_CLIENT_ID", "BULKHEAD_ENTRA_CLIENT_SECRET"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required to sign in with Microsoft Entra ID (set all three or none)" });
      }
    }
    if (env.BULKHEAD_AZURE_CREDENTIAL === "static-token" && !env.BULKHEAD_ARM_TOKEN) {
      ctx.addIssue({ code: "custom", path: ["BULKHEAD_ARM_TOKEN"], message: "is required when BULKHEAD_AZURE_CREDENTIAL=static-token" });
    }
    // BULKHEAD_AKS_TOKEN is checked when a collection starts: `collect --no-kube` does not need it.
  });

export type Env = z.infer<typeof envSchema>;

export { ConfigError } from "./config-error";

/** Validates the environment; the message names every wrong variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "environment"}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}

export function resolveDataDir(env: Env = getEnv()): string {
  return path.resolve(env.BULKHEAD_DATA_DIR);
}
