import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { getDatabase } from "@/lib/db/client";
import { resetStore } from "@/lib/demo/fill-demo-store";
import { createTestDatabase, type TestDatabase } from "./test-database";

export interface SetupTestDatabaseOptions {
  /**
   * The app's own process-wide database (route handlers, server functions) is this one too:
   * DATABASE_URL points at it, BULKHEAD_DATA_DIR at an empty directory of its own.
   */
  processWide?: boolean;
  /** Every test starts from an empty store (the schema stays). */
  resetBeforeEach?: boolean;
}

/**
 * A fresh, migrated database for the test file that calls this at its top level: created before
 * the file's own `beforeAll` hooks run (they may seed it), dropped after its tests. The value
 * returned stands for that database from then on; reading it before `beforeAll` is an error.
 */
export function setupTestDatabase(options: SetupTestDatabaseOptions = {}): TestDatabase {
  let current: TestDatabase | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    current = await createTestDatabase();
    if (options.processWide) {
      dataDir = await mkdtemp(path.join(tmpdir(), "bulkhead-test-"));
      process.env.DATABASE_URL = current.url;
      process.env.BULKHEAD_DATA_DIR = dataDir;
    }
  });
  if (options.resetBeforeEach) beforeEach(() => resetStore(database));
  afterAll(async () => {
    if (options.processWide && current) await (await getDatabase()).close();
    await current?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  const database = new Proxy({} as TestDatabase, {
    get(_, property) {
      if (!current) throw new Error("the test database is created in beforeAll; use it inside hooks and tests");
      const value = Reflect.get(current, property);
      return typeof value === "function" ? value.bind(current) : value;
    },
  });
  return database;
}
