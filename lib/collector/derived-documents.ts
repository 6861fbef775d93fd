import type pg from "pg";
import type { ClusterEvaluation } from "@/lib/posture";
import { copyViaStaging, type StagingColumn } from "@/lib/db/copy-rows";
import { contentDocument, type ContentDocument } from "./content-document";

// Documents derived from a snapshot's source documents by the rules (docs/storage.md): each is stored
// once per distinct content, in a table keyed by its hash, and named by a hash column on snapshots.
// Collection and `bulkhead reevaluate` both go through this list, so a new derived document is one
// entry here, its table and its snapshot column.

export interface DerivedDocumentKind<Key extends string = string> {
  key: Key;
  /** The table it is stored in, keyed by `hash`. */
  table: string;
  /** The snapshots column that names it. */
  snapshotColumn: string;
  /** Its content, from the evaluation of the snapshot's documents; null when the evaluation has none (the column is then null). */
  build(evaluation: ClusterEvaluation): unknown;
  /** Stores the bodies not stored yet (hash → JSON text), by COPY through a staging table; a hash stored meanwhile is left alone. */
  insert(client: pg.ClientBase, bodies: Map<string, string>): Promise<void>;
}

/** (hash, JSON text) pairs, as they travel to a staging table by COPY (lib/db/copy-rows.ts). */
const DOCUMENT_STAGING: StagingColumn<[string, string]>[] = [
  { name: "hash", type: "text", value: ([hash]) => hash },
  { name: "body", type: "text", value: ([, json]) => json },
];

/** The evidence of an evaluation (the `evaluations` row); the facts live in the snapshot's columns. */
const EVALUATION: DerivedDocumentKind<"evaluation"> = {
  key: "evaluation",
  table: "evaluations",
  snapshotColumn: "evaluation_hash",
  build: (evaluation) => ({
    rulesVersion: evaluation.rulesVersion,
    controls: evaluation.controls,
    allowAnyRules: evaluation.allowAnyRules,
    namespaces: evaluation.namespaces,
    advisories: evaluation.advisories,
    policies: evaluation.policies,
    problems: evaluation.problems,
  }),
  async insert(client, bodies) {
    await copyViaStaging(client, "evaluations_staging", DOCUMENT_STAGING, [...bodies], `
      INSERT INTO evaluations (hash, rules_version, controls, allow_any_rules, namespaces, advisories, policies, problems)
      SELECT e.hash, (e.body->>'rulesVersion')::int, e.body->'controls', e.body->'allowAnyRules', e.body->'namespaces',
             e.body->'advisories', e.body->'policies', e.body->'problems'
        -- OFFSET 0 keeps the subquery whole: flattened, each of the seven references would parse the body again.
        FROM (SELECT hash, body::jsonb AS body FROM evaluations_staging OFFSET 0) AS e
      ON CONFLICT (hash) DO NOTHING`);
  },
};

/**
 * Who reaches whom (docs/design.md §4.5, docs/reachability.md), for evaluations with in-cluster data.
 * Stored as `json` text: nothing queries inside it, and parsing megabytes into jsonb would be the
 * write's biggest cost on the days a large cluster changes.
 */
const REACHABILITY: DerivedDocumentKind<"reachability"> = {
  key: "reachability",
  table: "reachability_documents",
  snapshotColumn: "reachability_hash",
  build: (evaluation) => evaluation.reachability,
  async insert(client, bodies) {
    await copyViaStaging(client, "reachability_staging", DOCUMENT_STAGING, [...bodies],
      `INSERT INTO reachability_documents (hash, body) SELECT hash, body::json FROM reachability_staging ON CONFLICT (hash) DO NOTHING`);
  },
};

export const DERIVED_DOCUMENTS = [EVALUATION, REACHABILITY] as const;

export type DerivedKey = (typeof DERIVED_DOCUMENTS)[number]["key"];
/** Each derived document of a judgement, by key; null where the evaluation has none (no in-cluster data: no reachability). */
export type DerivedDocuments = Record<DerivedKey, ContentDocument | null>;

export function deriveDocuments(evaluation: ClusterEvaluation): DerivedDocuments {
  return Object.fromEntries(
    DERIVED_DOCUMENTS.map((kind) => {
      const body = kind.build(evaluation);
      return [kind.key, body === null || body === undefined ? null : contentDocument(body)];
    }),
  ) as DerivedDocuments;
}

/**
 * Stores derived documents by kind (key → hash → JSON text), skipping those already stored: the
 * known hashes are looked up first so only unknown bodies travel to the server.
 */
export async function storeDerivedDocuments(client: pg.ClientBase, byKind: Map<DerivedKey, Map<string, string>>): Promise<void> {
  for (const kind of DERIVED_DOCUMENTS) {
    const bodies = byKind.get(kind.key);
    if (!bodies || bodies.size === 0) continue;
    const known = await client.query<{ hash: string }>(`SELECT hash FROM ${kind.table} WHERE hash = ANY($1::text[])`, [[...bodies.keys()]]);
    for (const { hash } of known.rows) bodies.delete(hash);
    await kind.insert(client, bodies);
  }
}
