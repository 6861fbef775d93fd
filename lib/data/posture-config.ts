import "server-only";
import { getEnv } from "@/lib/env";
import type { PostureConfig } from "@/lib/posture";

/** The posture rules' configuration of the web server, from the validated environment (docs/design.md §6a). */
export function getServerPostureConfig(): PostureConfig {
  const env = getEnv();
  return {
    ownerTagKeys: env.BULKHEAD_OWNER_TAG_KEYS,
    envTagKeys: env.BULKHEAD_ENV_TAG_KEYS,
    prodValues: env.BULKHEAD_PROD_VALUES,
    systemNamespaces: env.BULKHEAD_SYSTEM_NAMESPACES,
  };
}
