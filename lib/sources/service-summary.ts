import { asRecord } from "@/lib/posture/untrusted-json";

/** What Bulkhead keeps of a Service (docs/migration.md): where it is, its type and external traffic policy. */
export interface ServiceSummary {
  metadata: { namespace: string; name: string };
  spec: { type: string; externalTrafficPolicy?: string };
}

/** Services as listed (API server or `kubectl get services -A -o json`) reduced to their summaries; unreadable items are dropped. */
export function reduceServices(items: unknown[]): ServiceSummary[] {
  return items.flatMap((item): ServiceSummary[] => {
    const record = asRecord(item);
    const metadata = asRecord(record?.metadata);
    const spec = asRecord(record?.spec);
    if (!metadata || typeof metadata.name !== "string") return [];
    const namespace = typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : "default";
    const type = typeof spec?.type === "string" ? spec.type : "ClusterIP";
    const policy = typeof spec?.externalTrafficPolicy === "string" ? spec.externalTrafficPolicy : undefined;
    return [{ metadata: { namespace, name: metadata.name }, spec: { type, ...(policy ? { externalTrafficPolicy: policy } : {}) } }];
  });
}
