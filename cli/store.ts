import { openDatabase, type OpenedDatabase } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import type { PostureConfig } from "@/lib/posture";

/** Opens the store (DATABASE_URL or the embedded Postgres), runs `work`, and always closes it. */
export async function withStore<T>(work: (db: OpenedDatabase) => Promise<T>): Promise<T> {
  const db = await openDatabase();
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** The posture rules' configuration from the environment (DESIGN.md §6a). */
export function getPostureConfig(): PostureConfig {
  const env = getEnv();
  return {
    ownerTagKeys: env.BULKHEAD_OWNER_TAG_KEYS,
    envTagKeys: env.BULKHEAD_ENV_TAG_KEYS,
    prodValues: env.BULKHEAD_PROD_VALUES,
    systemNamespaces: env.BULKHEAD_SYSTEM_NAMESPACES,
  };
}
