// deploy/kubernetes: every object valid against the Kubernetes schemas (kubernetes-models' validators,
// offline), the pods within Pod Security "restricted" and set up for Azure Workload Identity, the
// secrets referenced and never written down, and Bulkhead's own network policies judged by Bulkhead:
// `bulkhead analyze` passes, and the full control set (DNS reachable, IMDS not) passes on an AKS cluster.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { findProjectRoot } from "@/lib/db/project-root";
import { evaluateCluster } from "@/lib/posture";
import { makeCluster } from "@/testing/estate-builders";
import { runCli } from "@/testing/run-cli";

const DIR = path.join(findProjectRoot(), "deploy", "kubernetes");
const FILES = readdirSync(DIR).filter((file) => file.endsWith(".yaml")).sort();
const MANIFEST_FILES = FILES.filter((file) => file !== "kustomization.yaml");

type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown>; data?: Record<string, string> };
type Container = { name: string; image: string; env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[]; securityContext?: Record<string, unknown>; resources?: { requests?: Record<string, string>; limits?: Record<string, string> }; livenessProbe?: { httpGet?: { path: string } }; readinessProbe?: { httpGet?: { path: string } }; startupProbe?: { httpGet?: { path: string } }; volumeMounts?: { mountPath: string }[] };
type PodSpec = { serviceAccountName?: string; securityContext?: Record<string, unknown>; containers: Container[]; initContainers?: Container[]; volumes?: Record<string, unknown>[]; hostNetwork?: boolean; hostPID?: boolean; hostIPC?: boolean };

const objects: (KubeObject & { file: string })[] = MANIFEST_FILES.flatMap((file) =>
  parseAllDocuments(readFileSync(path.join(DIR, file), "utf8")).map((document) => {
    expect(document.errors, file).toEqual([]);
    return { ...(document.toJS() as KubeObject), file };
  }),
);

/** The kubernetes-models class of an apiVersion and kind: `apps/v1` `Deployment` → kubernetes-models/apps/v1/Deployment. */
async function modelOf(object: KubeObject): Promise<new (data: unknown) => { validate(): void }> {
  const models = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`)) as Record<string, new (data: unknown) => { validate(): void }>;
  return models[object.kind];
}

/** The pod template of a workload (Deployment, CronJob), with where it came from. */
function podTemplates(): { owner: string; labels: Record<string, string>; spec: PodSpec }[] {
  return objects.flatMap((object) => {
    type Template = { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    const spec = object.spec as { template?: Template; jobTemplate?: { spec?: { template?: Template } } } | undefined;
    const template = object.kind === "CronJob" ? spec?.jobTemplate?.spec?.template : ["Deployment", "StatefulSet", "DaemonSet", "Job"].includes(object.kind) ? spec?.template : undefined;
    return template ? [{ owner: `${object.kind}/${object.metadata.name}`, labels: template.metadata?.labels ?? {}, spec: template.spec as PodSpec }] : [];
  });
}

test("every object is valid against its Kubernetes schema", async () => {
  expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
    [
      "ConfigMap/bulkhead-config",
      "CronJob/bulkhead-collect",
      "Deployment/bulkhead-web",
      "Deployment/bulkhead-worker",
      "Namespace/bulkhead",
      "NetworkPolicy/allow-azure-https-egress",
      "NetworkPolicy/allow-dns-egress",
      "NetworkPolicy/allow-postgres-egress",
      "NetworkPolicy/allow-web-ingress",
      "NetworkPolicy/default-deny-all",
      "Service/bulkhead-web",
      "ServiceAccount/bulkhead",
    ].sort(),
  );
  for (const object of objects) {
    const Model = await modelOf(object);
    expect(() => new Model(object).validate(), `${object.file}: ${object.kind}/${object.metadata.name}`).not.toThrow();
    if (object.kind !== "Namespace") expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe("bulkhead");
  }
});

test("the validators do refuse a wrong manifest (the check above can fail)", async () => {
  const web = objects.find((o) => o.kind === "Deployment")!;
  const Model = await modelOf(web);
  const broken = structuredClone(web) as unknown as { spec: { replicas?: unknown; template: { spec: { containers?: unknown } } } };
  broken.spec.replicas = "two";
  expect(() => new Model(broken).validate()).toThrow(/replicas must be integer/);
  delete broken.spec.replicas;
  delete broken.spec.template.spec.containers;
  expect(() => new Model(broken).validate()).toThrow(/containers/);
});

test("kustomization.yaml lists every manifest, and kubectl renders the same objects where kubectl exists", async () => {
  const kustomization = parseAllDocuments(readFileSync(path.join(DIR, "kustomization.yaml"), "utf8"))[0].toJS() as { resources: string[] };
  expect([...kustomization.resources].sort()).toEqual(MANIFEST_FILES);
  const kubectl = await promisify(execFile)("kubectl", ["kustomize", DIR], { maxBuffer: 8 * 1024 * 1024 }).catch(() => null);
  if (!kubectl) return; // kubectl is not part of this project's toolchain; the list above is the contract.
  const rendered = parseAllDocuments(kubectl.stdout).map((d) => d.toJS() as KubeObject);
  expect(rendered.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort());
});

describe("pods", () => {
  const templates = podTemplates();

  test("there are three: the dashboard, the workers and the collection CronJob", () => {
    expect(templates.map((t) => t.owner).sort()).toEqual(["CronJob/bulkhead-collect", "Deployment/bulkhead-web", "Deployment/bulkhead-worker"]);
  });

  test("the namespace enforces Pod Security restricted", () => {
    const namespace = objects.find((o) => o.kind === "Namespace")!;
    expect(namespace.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
  });

  test.each(podTemplates().map((t) => [t.owner, t] as const))("%s meets Pod Security restricted and reads its root file system only", (_, { spec }) => {
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(spec.securityContext?.runAsUser).not.toBe(0);
    expect([spec.hostNetwork, spec.hostPID, spec.hostIPC].filter(Boolean)).toEqual([]);
    for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
      expect(container.securityContext, container.name).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
      expect((container.securityContext?.capabilities as { add?: string[] }).add ?? []).toEqual([]);
      expect(container.securityContext?.privileged ?? false).toBe(false);
      expect(container.resources?.requests, container.name).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.resources?.limits?.memory, container.name).toEqual(expect.any(String));
      // Writable places are volumes: /tmp and /data, nothing else.
      expect((container.volumeMounts ?? []).map((m) => m.mountPath).sort()).toEqual(["/data", "/tmp"]);
    }
    // Only volume types the restricted profile allows.
    for (const volume of spec.volumes ?? []) expect(Object.keys(volume).filter((key) => key !== "name")).toEqual([expect.stringMatching(/^(emptyDir|configMap|secret|projected|persistentVolumeClaim|downwardAPI|ephemeral|csi)$/)]);
  });

  test.each(podTemplates().map((t) => [t.owner, t] as const))("%s runs as the workload identity's service account", (_, { labels, spec }) => {
    expect(spec.serviceAccountName).toBe("bulkhead");
    expect(labels["azure.workload.identity/use"]).toBe("true");
    const account = objects.find((o) => o.kind === "ServiceAccount" && o.metadata.name === "bulkhead")!;
    expect(account.metadata.annotations?.["azure.workload.identity/client-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const config = objects.find((o) => o.kind === "ConfigMap")!;
    expect(config.data?.BULKHEAD_AZURE_CREDENTIAL).toBe("workload-identity");
  });

  test.each(podTemplates().map((t) => [t.owner, t] as const))("%s takes its secrets from the Secret, never from a literal", (_, { spec }) => {
    for (const container of spec.containers) {
      const env = new Map((container.env ?? []).map((entry) => [entry.name, entry]));
      expect(env.get("DATABASE_URL")?.valueFrom?.secretKeyRef).toEqual({ name: "bulkhead-secrets", key: "DATABASE_URL" });
      for (const entry of container.env ?? []) {
        if (/URL|SECRET|TOKEN|PASSWORD/.test(entry.name)) expect(entry.value, entry.name).toBeUndefined();
      }
    }
    expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
    const config = objects.find((o) => o.kind === "ConfigMap")!;
    expect(Object.keys(config.data ?? {}).filter((key) => /DATABASE_URL|SECRET|TOKEN|PASSWORD/.test(key))).toEqual([]);
  });

  test("the dashboard: the auth secret from the Secret, probes on /healthz and /readyz, a Service in front", () => {
    const web = templates.find((t) => t.owner === "Deployment/bulkhead-web")!.spec.containers[0];
    expect(web.env?.find((e) => e.name === "BULKHEAD_AUTH_SECRET")?.valueFrom?.secretKeyRef).toEqual({ name: "bulkhead-secrets", key: "BULKHEAD_AUTH_SECRET" });
    expect([web.startupProbe?.httpGet?.path, web.livenessProbe?.httpGet?.path, web.readinessProbe?.httpGet?.path]).toEqual(["/healthz", "/healthz", "/readyz"]);
    const service = objects.find((o) => o.kind === "Service")!;
    expect(service.spec).toMatchObject({ type: "ClusterIP", selector: { "app.kubernetes.io/component": "web" } });
  });
});

describe("Bulkhead's own network policies", () => {
  test("`bulkhead analyze deploy/kubernetes` passes: default deny both ways, no allow-any rule", async () => {
    const result = await runCli(["analyze", DIR, "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ namespaces: [{ name: "bulkhead", defaultDenyIngress: true, defaultDenyEgress: true }], allowAnyRules: [] });
  });

  test("on an AKS cluster with an engine, every control passes: DNS reachable, IMDS not, policies present", () => {
    const policies = objects.filter((o) => o.kind === "NetworkPolicy");
    const namespaces = objects.filter((o) => o.kind === "Namespace").map((o) => ({ ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, "kubernetes.io/metadata.name": o.metadata.name } } }));
    for (const engine of ["azure", "cilium", "calico"]) {
      const evaluation = evaluateCluster(makeCluster({ name: "aks-bulkhead", networkPolicy: engine }), { namespaces, policies });
      expect(evaluation.controls.map((c) => [c.id, c.status]), engine).toEqual([
        ["NP-01", "pass"],
        ["NP-02", "pass"],
        ["NP-03", "pass"],
        ["NP-04", "pass"],
        ["NP-05", "pass"],
        ["NP-06", "pass"],
        ["NP-07", "pass"],
      ]);
      expect(evaluation.imdsRules).toEqual([]);
    }
  });

  test("the HTTPS egress names its port: opened to every port it would be an allow-any rule, and analyze would fail", async () => {
    const policies = objects.filter((o) => o.kind === "NetworkPolicy").map((o) => structuredClone(o) as KubeObject & { spec: { egress?: { ports?: unknown }[] } });
    const https = policies.find((p) => p.metadata.name === "allow-azure-https-egress")!;
    delete https.spec.egress![0].ports;
    const evaluation = evaluateCluster(makeCluster({ name: "aks-bulkhead", networkPolicy: "azure" }), { namespaces: objects.filter((o) => o.kind === "Namespace"), policies });
    expect(evaluation.allowAnyRules).toEqual([expect.objectContaining({ policy: "allow-azure-https-egress", direction: "egress", class: "B" })]);
  });
});
