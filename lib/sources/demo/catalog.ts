// Static vocabulary of the synthetic organisation "Contoso": teams, subscriptions, regions,
// namespace names, VM sizes. Only names and weights live here; behaviour lives in the plan (plan-*.ts), its knobs in tuning.ts.

/** How quickly a team fixes what it breaks; drives engine fixes, default-deny rollout, clean-ups. */
export type FixSpeed = "fast" | "medium" | "slow";

export type BusinessUnit = "payments" | "platform" | "data" | "digital";

export interface TeamProfile {
  name: string;
  speed: FixSpeed;
  businessUnit: BusinessUnit;
  /** Relative share of the estate's clusters. */
  size: number;
  /** How prone the team is to allow-any rules, 0..1. */
  sloppiness: number;
  homeRegion: string;
  namespaces: readonly string[];
}

export const BASE_TEAMS: readonly TeamProfile[] = [
  { name: "payments", speed: "fast", businessUnit: "payments", size: 1.3, sloppiness: 0.25, homeRegion: "westeurope",
    namespaces: ["payments-api", "ledger", "payouts", "card-vault", "settlement", "refunds", "payment-gateway", "reconciliation", "webhooks", "fx-rates", "invoicing", "chargebacks", "wallet", "billing-events"] },
  { name: "identity", speed: "fast", businessUnit: "platform", size: 0.9, sloppiness: 0.15, homeRegion: "northeurope",
    namespaces: ["auth", "login", "token-service", "user-profile", "mfa", "scim", "session", "oidc-provider", "directory-sync", "consent", "account-recovery", "audit-log", "risk-signals", "captcha"] },
  { name: "search", speed: "medium", businessUnit: "digital", size: 0.9, sloppiness: 0.35, homeRegion: "westeurope",
    namespaces: ["search-api", "indexer", "query-service", "autocomplete", "ranking", "crawler", "synonyms", "opensearch", "spellcheck", "facets", "search-ui", "click-logger", "relevance-lab", "suggest"] },
  { name: "analytics", speed: "slow", businessUnit: "data", size: 1.0, sloppiness: 0.5, homeRegion: "northeurope",
    namespaces: ["ingestion", "etl", "dashboards", "event-collector", "reporting", "spark-jobs", "airflow", "metrics-api", "trino", "superset", "kafka-connect", "cdc", "data-quality", "exports"] },
  { name: "platform", speed: "fast", businessUnit: "platform", size: 1.2, sloppiness: 0.15, homeRegion: "westeurope",
    namespaces: ["platform-tools", "backstage", "vault", "internal-dns", "policy-reports", "cost-exporter", "runners", "velero", "harbor", "loki", "tempo", "grafana", "opencost", "crossplane"] },
  { name: "checkout", speed: "fast", businessUnit: "payments", size: 1.0, sloppiness: 0.3, homeRegion: "westeurope",
    namespaces: ["checkout-api", "cart", "pricing", "promotions", "order-service", "tax", "basket-events", "gift-cards", "shipping-quotes", "order-history", "loyalty", "vouchers", "checkout-ui", "stock-reservation"] },
  { name: "data-science", speed: "slow", businessUnit: "data", size: 0.8, sloppiness: 0.6, homeRegion: "swedencentral",
    namespaces: ["notebooks", "jupyterhub", "feature-store", "experiments", "mlflow", "training-jobs", "labeling", "ray", "kubeflow", "datasets", "sandbox", "argo-workflows", "model-registry", "hyperopt"] },
  { name: "mobile-api", speed: "medium", businessUnit: "digital", size: 0.9, sloppiness: 0.4, homeRegion: "eastus2",
    namespaces: ["mobile-bff", "push-notifications", "device-registry", "app-config", "graphql-gateway", "media-resizer", "deep-links", "feature-flags", "crash-reports", "in-app-messaging", "ratings", "offline-sync", "mobile-auth", "release-notes"] },
  { name: "risk", speed: "medium", businessUnit: "payments", size: 0.8, sloppiness: 0.2, homeRegion: "westeurope",
    namespaces: ["risk-engine", "fraud-scoring", "kyc", "sanctions-screening", "rules-service", "case-management", "aml-monitoring", "device-fingerprint", "velocity-checks", "risk-reports", "watchlists", "dispute-service", "limits", "risk-ui"] },
  { name: "marketing-web", speed: "slow", businessUnit: "digital", size: 0.9, sloppiness: 0.7, homeRegion: "eastus2",
    namespaces: ["www", "cms", "campaigns", "landing-pages", "newsletter", "seo-renderer", "ab-testing", "sitemap", "image-cdn-origin", "forms", "blog", "affiliate", "preview", "headless-cms"] },
  { name: "logistics", speed: "medium", businessUnit: "digital", size: 0.9, sloppiness: 0.35, homeRegion: "northeurope",
    namespaces: ["shipping", "tracking", "warehouse-sync", "route-planner", "carrier-gateway", "returns", "labels", "dispatch", "fleet", "eta-service", "customs", "slotting", "pickup-points", "parcel-events"] },
  { name: "ml-serving", speed: "slow", businessUnit: "data", size: 0.8, sloppiness: 0.45, homeRegion: "swedencentral",
    namespaces: ["model-gateway", "inference-cpu", "inference-gpu", "embeddings", "feature-server", "triton", "batch-scoring", "vector-db", "reranker", "llm-proxy", "shadow-traffic", "model-monitor", "canary", "kserve"] },
];

/** Extra team names for estates asked to have more than twelve owners. */
const EXTRA_TEAM_NAMES = [
  "billing", "notifications", "catalog", "inventory", "recommendations", "support-tools", "devex", "sre",
  "security", "media", "partners", "loyalty", "customer-data", "reviews", "pricing-engine", "travel",
];

const SPEED_CYCLE: readonly FixSpeed[] = ["fast", "medium", "slow"];
const UNIT_CYCLE: readonly BusinessUnit[] = ["payments", "platform", "data", "digital"];
const REGION_CYCLE = ["westeurope", "northeurope", "eastus2", "swedencentral"];

/** The first `count` teams: the twelve named ones, then generated ones with cycled profiles. */
export function listTeams(count: number): TeamProfile[] {
  const teams: TeamProfile[] = BASE_TEAMS.slice(0, count).map((t) => ({ ...t }));
  for (let i = teams.length; i < count; i++) {
    const k = i - BASE_TEAMS.length;
    const base = k < EXTRA_TEAM_NAMES.length ? EXTRA_TEAM_NAMES[k] : `team-${String(i + 1).padStart(2, "0")}`;
    teams.push({
      name: base,
      speed: SPEED_CYCLE[i % 3],
      businessUnit: UNIT_CYCLE[i % 4],
      size: 0.8 + (i % 5) * 0.1,
      sloppiness: 0.15 + (i % 6) * 0.1,
      homeRegion: REGION_CYCLE[i % REGION_CYCLE.length],
      namespaces: ["api", "worker", "web", "jobs", "events", "admin", "gateway", "cache", "scheduler", "reports", "sync", "search", "export", "notifier"].map((s) => `${base}-${s}`),
    });
  }
  return teams;
}

/** Fix delays in days after a new cluster appears without an engine (inclusive ranges). */
export const ENGINE_FIX_DELAY: Record<FixSpeed, readonly [number, number]> = {
  fast: [2, 5],
  medium: [7, 21],
  slow: [30, 90],
};

/** Days from "should have default deny" to having it. */
export const DENY_ROLLOUT_DELAY: Record<FixSpeed, readonly [number, number]> = {
  fast: [1, 6],
  medium: [5, 25],
  slow: [20, 70],
};

/** Days an allow-any rule stays before its team removes it. */
export const ALLOW_ANY_LIFETIME: Record<FixSpeed, readonly [number, number]> = {
  fast: [1, 8],
  medium: [4, 30],
  slow: [14, 120],
};

export interface SubscriptionTemplate {
  displayName: string;
  businessUnit: BusinessUnit;
  production: boolean;
}

export const BASE_SUBSCRIPTIONS: readonly SubscriptionTemplate[] = [
  { displayName: "contoso-payments-prod", businessUnit: "payments", production: true },
  { displayName: "contoso-platform-prod", businessUnit: "platform", production: true },
  { displayName: "contoso-data-prod", businessUnit: "data", production: true },
  { displayName: "contoso-digital-prod", businessUnit: "digital", production: true },
  { displayName: "contoso-payments-nonprod", businessUnit: "payments", production: false },
  { displayName: "contoso-data-nonprod", businessUnit: "data", production: false },
  { displayName: "contoso-digital-nonprod", businessUnit: "digital", production: false },
  { displayName: "contoso-platform-nonprod", businessUnit: "platform", production: false },
];

/** Subscription templates beyond the eight named ones: "contoso-data-prod-02", ... */
export function listSubscriptionTemplates(count: number): SubscriptionTemplate[] {
  const out: SubscriptionTemplate[] = BASE_SUBSCRIPTIONS.slice(0, count).map((s) => ({ ...s }));
  for (let i = out.length; i < count; i++) {
    const base = BASE_SUBSCRIPTIONS[i % BASE_SUBSCRIPTIONS.length];
    const generation = Math.floor(i / BASE_SUBSCRIPTIONS.length) + 1;
    out.push({ ...base, displayName: `${base.displayName}-${String(generation).padStart(2, "0")}` });
  }
  return out;
}

export interface RegionInfo {
  name: string;
  short: string;
  weight: number;
}

export const REGIONS: readonly RegionInfo[] = [
  { name: "westeurope", short: "weu", weight: 30 },
  { name: "northeurope", short: "neu", weight: 20 },
  { name: "eastus2", short: "eus2", weight: 15 },
  { name: "swedencentral", short: "sdc", weight: 12 },
  { name: "uksouth", short: "uks", weight: 10 },
  { name: "eastus", short: "eus", weight: 6 },
  { name: "southeastasia", short: "sea", weight: 4 },
  { name: "germanywestcentral", short: "gwc", weight: 3 },
];

/** Kubernetes versions in release order; the period's "latest" walks along this list. */
export const KUBERNETES_VERSIONS = [
  "1.28.9", "1.28.13", "1.29.7", "1.29.9", "1.29.11", "1.30.5", "1.30.7", "1.30.9", "1.30.10",
  "1.31.2", "1.31.3", "1.31.5", "1.31.8", "1.32.0", "1.32.3", "1.32.5", "1.33.1", "1.33.2",
] as const;

/** Platform namespaces a cluster may run, with the share of clusters that run them. */
export const PLATFORM_NAMESPACES: readonly (readonly [string, number])[] = [
  ["ingress-nginx", 0.6],
  ["monitoring", 0.45],
  ["cert-manager", 0.35],
  ["argocd", 0.2],
  ["external-dns", 0.15],
  ["keda", 0.1],
];

export const WAIVER_APPROVERS = [
  "priya.nair@contoso.com",
  "mark.schultz@contoso.com",
  "ana.silva@contoso.com",
  "tom.okafor@contoso.com",
  "security-governance@contoso.com",
];

/** What clusters on a bring-your-own CNI print as their network policy. */
export const ODD_ENGINES = ["antrea", "kube-router"];
