import { openDatabase, type OpenedDatabase } from "@/lib/db/client";

/** Opens the store (DATABASE_URL or the embedded Postgres), runs `work`, and always closes it. */
export async function withStore<T>(work: (db: OpenedDatabase) => Promise<T>): Promise<T> {
  const db = await openDatabase();
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** The posture rules' configuration from the environment (docs/design.md §6a), as the web server reads it. */
export { getServerPostureConfig as getPostureConfig } from "@/lib/data/posture-config";
