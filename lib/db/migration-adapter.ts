import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";

// Postgres catalog types the 6.19 pg adapter cannot map (the JS schema engine reads them).
const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;

type QueryResultLike = { fields?: { dataTypeID: number }[] };

function reportCatalogTypesAsText<T>(result: T): T {
  for (const field of (result as QueryResultLike)?.fields ?? []) {
    if (field.dataTypeID === NAME_OID || field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
  }
  return result;
}

function patchQuery(target: { query: (...args: unknown[]) => unknown }): void {
  const original = target.query.bind(target);
  target.query = (...args: unknown[]) => {
    const result = original(...args);
    return result instanceof Promise ? result.then(reportCatalogTypesAsText) : result;
  };
}

/** A pool whose results describe `name` and `"char"` columns as text, for the adapter's type mapping. */
class CatalogTextPool extends pg.Pool {
  constructor(config: pg.PoolConfig) {
    super(config);
    patchQuery(this as unknown as { query: (...args: unknown[]) => unknown });
    this.on("connect", (client) => patchQuery(client as unknown as { query: (...args: unknown[]) => unknown }));
  }
}

type ScriptAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;

/**
 * The adapter splits scripts on every ";", which breaks function bodies ($$ ... ; ... $$);
 * a migration file is sent whole instead (the simple query protocol runs many statements).
 */
function runScriptsWhole<T extends ScriptAdapter>(adapter: T): T {
  adapter.executeScript = async (script: string) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      (adapter as unknown as { onError(error: unknown): never }).onError(error);
    }
  };
  return adapter;
}

async function runAdmin(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The driver adapter for Prisma's JS schema engine (migrate dev/deploy). Its own shadow database
 * is dropped while its pool is still open; this one closes the pool first.
 */
export function createMigrationAdapter(connectionString: string): SqlMigrationAwareDriverAdapterFactory {
  const main = new PrismaPg(new CatalogTextPool({ connectionString, max: 4, allowExitOnIdle: true, idleTimeoutMillis: 200 }), { disposeExternalPool: true });
  return {
    provider: "postgres",
    adapterName: main.adapterName,
    connect: async () => runScriptsWhole(await main.connect()),
    async connectToShadowDb() {
      const name = `bulkhead_shadow_${randomUUID().replaceAll("-", "")}`;
      await runAdmin(connectionString, `CREATE DATABASE "${name}"`);
      const url = new URL(connectionString);
      url.pathname = `/${name}`;
      const shadow = runScriptsWhole(
        await new PrismaPg(new CatalogTextPool({ connectionString: url.toString(), max: 2, allowExitOnIdle: true, idleTimeoutMillis: 200 }), {
          disposeExternalPool: true,
        }).connect(),
      );
      const disposePool = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await disposePool();
        await runAdmin(connectionString, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      };
      return shadow;
    },
  };
}
