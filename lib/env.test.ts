import { describe, expect, test } from "vitest";
import { ConfigError, parseEnv } from "./env";

const parse = (env: Record<string, string>) => parseEnv(env as NodeJS.ProcessEnv);
const messageOf = (env: Record<string, string>) => {
  try {
    parse(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
};

describe("Azure collection settings (docs/design.md §6a)", () => {
  test("defaults: the default credential chain against public ARM, 30 s per cluster, no schedule", () => {
    const env = parse({});
    expect(env).toMatchObject({ BULKHEAD_AZURE_CREDENTIAL: "default", BULKHEAD_ARM_ENDPOINT: "https://management.azure.com", BULKHEAD_KUBE_TIMEOUT_SECONDS: 30, BULKHEAD_RESOURCE_GRAPH_THRESHOLD: 50 });
    expect(env.BULKHEAD_COLLECT_CRON).toBeUndefined();
  });

  test.each([
    [{ BULKHEAD_AZURE_CREDENTIAL: "client-secret", AZURE_TENANT_ID: "t" }, ["AZURE_CLIENT_ID: is required when BULKHEAD_AZURE_CREDENTIAL=client-secret", "AZURE_CLIENT_SECRET: is required"]],
    [{ BULKHEAD_AZURE_CREDENTIAL: "workload-identity", AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c" }, ["AZURE_FEDERATED_TOKEN_FILE: is required when BULKHEAD_AZURE_CREDENTIAL=workload-identity"]],
    [{ BULKHEAD_AZURE_CREDENTIAL: "static-token" }, ["BULKHEAD_ARM_TOKEN: is required when BULKHEAD_AZURE_CREDENTIAL=static-token"]],
    [{ BULKHEAD_AZURE_CREDENTIAL: "kerberos" }, ["BULKHEAD_AZURE_CREDENTIAL"]],
    [{ BULKHEAD_ARM_ENDPOINT: "http://management.azure.com" }, ["BULKHEAD_ARM_ENDPOINT: must be an https:// URL"]],
    [{ BULKHEAD_ARM_TOKEN: "Bearer abc" }, ["BULKHEAD_ARM_TOKEN: must be one token"]],
    [{ BULKHEAD_COLLECT_CRON: "every day" }, ["BULKHEAD_COLLECT_CRON: must be a cron expression"]],
    [{ BULKHEAD_KUBE_TIMEOUT_SECONDS: "0" }, ["BULKHEAD_KUBE_TIMEOUT_SECONDS"]],
    [{ BULKHEAD_RESOURCE_GRAPH_THRESHOLD: "-1" }, ["BULKHEAD_RESOURCE_GRAPH_THRESHOLD"]],
    [{ BULKHEAD_RESOURCE_GRAPH_THRESHOLD: "2.5" }, ["BULKHEAD_RESOURCE_GRAPH_THRESHOLD: must be a whole number"]],
    [{ BULKHEAD_RESOURCE_GRAPH_THRESHOLD: "many" }, ["BULKHEAD_RESOURCE_GRAPH_THRESHOLD"]],
  ])("%j is refused with a message naming what is wrong", (env, expected) => {
    const message = messageOf(env);
    for (const part of expected) expect(message).toContain(part);
  });

  test("valid settings: managed identity needs nothing; sovereign endpoint and cron are kept", () => {
    const env = parse({
      BULKHEAD_AZURE_CREDENTIAL: "managed-identity",
      BULKHEAD_ARM_ENDPOINT: "https://management.usgovcloudapi.net/",
      AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us",
      BULKHEAD_COLLECT_CRON: "0 6 * * *",
    });
    expect(env.BULKHEAD_ARM_ENDPOINT).toBe("https://management.usgovcloudapi.net");
    expect(env.BULKHEAD_COLLECT_CRON).toBe("0 6 * * *");
  });

  test("BULKHEAD_RESOURCE_GRAPH_THRESHOLD: 0 means Resource Graph always; empty means the default", () => {
    expect(parse({ BULKHEAD_RESOURCE_GRAPH_THRESHOLD: "0" }).BULKHEAD_RESOURCE_GRAPH_THRESHOLD).toBe(0);
    expect(parse({ BULKHEAD_RESOURCE_GRAPH_THRESHOLD: "" }).BULKHEAD_RESOURCE_GRAPH_THRESHOLD).toBe(50);
    expect(parse({ BULKHEAD_RESOURCE_GRAPH_THRESHOLD: "500" }).BULKHEAD_RESOURCE_GRAPH_THRESHOLD).toBe(500);
  });
});

describe("BULKHEAD_TRUSTED_PROXIES", () => {
  test("unset trusts nobody; a number is hops; a list is addresses and ranges", () => {
    expect(parse({}).BULKHEAD_TRUSTED_PROXIES).toEqual({ kind: "none" });
    expect(parse({ BULKHEAD_TRUSTED_PROXIES: "2" }).BULKHEAD_TRUSTED_PROXIES).toEqual({ kind: "hops", count: 2 });
    expect(parse({ BULKHEAD_TRUSTED_PROXIES: "10.0.0.0/8,192.0.2.7" }).BULKHEAD_TRUSTED_PROXIES).toMatchObject({ kind: "ranges", text: ["10.0.0.0/8", "192.0.2.7"] });
  });

  test("a wrong value names the variable and says what to give", () => {
    expect(messageOf({ BULKHEAD_TRUSTED_PROXIES: "proxy.example.com" })).toMatch(/BULKHEAD_TRUSTED_PROXIES: "proxy.example.com" is not an IP address or CIDR range \(give a number of hops/);
  });
});

describe("BULKHEAD_METRICS_TOKEN", () => {
  test("unset or empty: /metrics is off", () => {
    expect(parse({}).BULKHEAD_METRICS_TOKEN).toBeUndefined();
    expect(parse({ BULKHEAD_METRICS_TOKEN: "  " }).BULKHEAD_METRICS_TOKEN).toBeUndefined();
  });

  test("a token of 32 characters or more is kept", () => {
    const token = "0123456789abcdef0123456789abcdef";
    expect(parse({ BULKHEAD_METRICS_TOKEN: token }).BULKHEAD_METRICS_TOKEN).toBe(token);
  });

  test.each(["short-token", "0123456789abcdef 0123456789abcdef"])("%j is refused, naming the variable", (token) => {
    expect(messageOf({ BULKHEAD_METRICS_TOKEN: token })).toContain("BULKHEAD_METRICS_TOKEN: must be at least 32 characters without spaces");
  });
});
