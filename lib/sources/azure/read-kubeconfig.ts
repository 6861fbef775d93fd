import { parse } from "yaml";
import { asRecord } from "@/lib/posture/untrusted-json";
import { MalformedResponseError } from "./fault-cause";

export interface ApiServerEndpoint {
  /** https URL of the cluster's API server. */
  server: string;
  /** PEM of the cluster CA, when the kubeconfig names one. */
  certificateAuthority?: string;
  tlsServerName?: string;
}

/**
 * The API server address and CA from the kubeconfig that listClusterUserCredential returned (the
 * SDK has already decoded its base64).
 * Only the `cluster` part is read: the `user` part (client certificates, tokens, exec plugins) is
 * never used, kept or logged; Bulkhead signs in with its own Microsoft Entra token.
 */
export function readApiServerEndpoint(kubeconfig: Uint8Array): ApiServerEndpoint {
  let document: unknown;
  try {
    document = parse(Buffer.from(kubeconfig).toString("utf8"));
  } catch {
    throw new MalformedResponseError("the kubeconfig from listClusterUserCredential is not valid YAML");
  }
  const config = asRecord(document);
  const clusters = Array.isArray(config?.clusters) ? config.clusters.map(asRecord) : [];
  const contexts = Array.isArray(config?.contexts) ? config.contexts.map(asRecord) : [];
  const current = contexts.find((context) => context?.name === config?.["current-context"]);
  const clusterName = asRecord(current?.context)?.cluster;
  const entry = clusters.find((cluster) => cluster?.name === clusterName) ?? clusters[0];
  const cluster = asRecord(entry?.cluster);
  const server = cluster?.server;
  if (typeof server !== "string" || !URL.canParse(server) || new URL(server).protocol !== "https:") {
    throw new MalformedResponseError("the kubeconfig from listClusterUserCredential names no https API server");
  }
  const caData = cluster?.["certificate-authority-data"];
  const tlsServerName = cluster?.["tls-server-name"];
  return {
    server: server.replace(/\/+$/, ""),
    certificateAuthority: typeof caData === "string" && caData !== "" ? Buffer.from(caData, "base64").toString("utf8") : undefined,
    tlsServerName: typeof tlsServerName === "string" && tlsServerName !== "" ? tlsServerName : undefined,
  };
}
