import type { TokenCredential } from "@azure/identity";
import type { ContainerServiceClient } from "@azure/arm-containerservice";
import type { ClusterRef, InClusterRead } from "../source";
import { listInClusterObjects } from "@/lib/sources/kubernetes/list-in-cluster";
import type { ListKubeObjectsOptions } from "@/lib/sources/kubernetes/list-kube-objects";
import { AKS_SERVER_SCOPE } from "./create-credential";
import { DeadlineError, MalformedResponseError, toSourceFault } from "./fault-cause";
import { readApiServerEndpoint } from "./read-kubeconfig";
import type { SecretRedactor } from "./redact-secrets";

export interface ReadInClusterOptions {
  credential: TokenCredential;
  /** The container service client of the cluster's subscription. */
  client: ContainerServiceClient;
  redactor: SecretRedactor;
  /** The whole read of one cluster (credentials, token, every page) ends by then. */
  timeoutMs: number;
  kube: Pick<ListKubeObjectsOptions, "pageSize" | "maxPages">;
  signal?: AbortSignal;
}

/**
 * Namespaces, policy objects of every kind and pod classes of one AKS cluster: the API server address and CA from
 * listClusterUserCredential, a Microsoft Entra token for the AKS server application, then the
 * Kubernetes API. Any failure is `{status:"failed"}` with its cause, so the collector carries the
 * previous objects forward (docs/design.md §7); nothing here throws.
 */
export async function readInClusterObjects(cluster: ClusterRef, options: ReadInClusterOptions): Promise<InClusterRead> {
  const controller = new AbortController();
  const deadline = setTimeout(
    () => controller.abort(new DeadlineError(`no complete answer within ${Math.round(options.timeoutMs / 1000)} s (--kube-timeout)`)),
    options.timeoutMs,
  );
  const onRunAbort = () => controller.abort(new DeadlineError("the run was stopped"));
  options.signal?.addEventListener("abort", onRunAbort, { once: true });
  let stage = "listClusterUserCredential";
  try {
    const work = (async () => {
      const credentials = await options.client.managedClusters.listClusterUserCredentials(cluster.resourceGroup, cluster.name, { abortSignal: controller.signal });
      const kubeconfig = credentials.kubeconfigs?.[0]?.value;
      if (!kubeconfig || kubeconfig.length === 0) throw new MalformedResponseError("the answer holds no kubeconfig");
      const endpoint = readApiServerEndpoint(kubeconfig);

      stage = "Microsoft Entra token for the AKS API server";
      const token = await options.credential.getToken(AKS_SERVER_SCOPE, { abortSignal: controller.signal });
      if (!token?.token) throw Object.assign(new Error("the credential returned no token"), { name: "CredentialUnavailableError" });

      stage = `Kubernetes API ${new URL(endpoint.server).host}`;
      return listInClusterObjects({ ...endpoint, token: token.token }, { ...options.kube, signal: controller.signal });
    })();
    // Some steps (a token request, a TLS handshake) may not watch the signal; the deadline still holds.
    const data = await Promise.race([work, rejectOnAbort(controller.signal)]);
    return { status: "read", data };
  } catch (error) {
    const reason = controller.signal.aborted ? controller.signal.reason : error;
    const fault = toSourceFault(reason, `reading in-cluster objects (${stage})`, options.redactor);
    if (fault.cause === "unauthenticated" && stage.startsWith("Kubernetes")) {
      fault.message += " (the API server refused the Microsoft Entra token: is the cluster integrated with Microsoft Entra ID?)";
    }
    return { status: "failed", fault };
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener("abort", onRunAbort);
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}
