import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, test } from "vitest";

// The layers of docs/design.md §2 are guarded by ESLint (eslint.config.mjs, import/no-restricted-paths):
// a file that imports across a layer the wrong way fails `npm run lint`, and so `npm test`.

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, "..") });
});

/** The layer messages ESLint gives `code` placed at `file` (the file need not exist). */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.resolve(import.meta.dirname, "..", file) });
  return result.messages.filter((message) => message.ruleId === "import/no-restricted-paths").map((message) => message.message);
}

describe("a wrong import fails lint", () => {
  test.each([
    ["lib/posture/x.ts", 'import { getEnv } from "@/lib/env";\nexport const env = getEnv;\n', /lib\/posture imports nothing of ours/],
    ["lib/posture/x.ts", 'import { listClusters } from "../data/list-clusters";\nexport const list = listClusters;\n', /lib\/posture imports nothing of ours/],
    ["lib/findings/x.ts", 'import type { BadgeTone } from "@/components/ui/badge";\nexport type Tone = BadgeTone;\n', /never imports them/],
    ["lib/data/x.ts", 'import { getRunResult } from "@/lib/collector/run-record";\nexport const result = getRunResult;\n', /never imports the collector/],
    ["lib/kpi/x.ts", 'import { runCollection } from "../collector/run-collection";\nexport const run = runCollection;\n', /never imports the collector/],
    ["lib/sources/x.ts", 'import { runCollection } from "@/lib/collector/run-collection";\nexport const run = runCollection;\n', /below the collector/],
    ["lib/collector/x.ts", 'import { createTestDatabase } from "@/testing/test-database";\nexport const create = createTestDatabase;\n', /never imports test or benchmark code/],
    ["components/x.tsx", 'import { getDatabase } from "@/lib/db/client";\nexport const open = getDatabase;\n', /through the page loaders/],
    ["hooks/x.ts", 'import { runCollection } from "@/lib/collector/run-collection";\nexport const run = runCollection;\n', /through the page loaders/],
    ["components/x.tsx", 'import { makeCluster } from "@/testing/estate-builders";\nexport const make = makeCluster;\n', /never imports test or benchmark code/],
    ["app/x.ts", 'import { pollUntil } from "@/testing/worker-processes";\nexport const poll = pollUntil;\n', /never imports test or benchmark code/],
  ])("%s: %s", async (file, code, expected) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(expected);
  });
});

describe("the imports the layers allow pass", () => {
  test.each([
    ["lib/posture/x.ts", 'import { getControl } from "./control-catalogue";\nimport { parse } from "yaml";\nexport const both = [getControl, parse];\n'],
    ["lib/collector/x.ts", 'import { listClusters } from "@/lib/data/list-clusters";\nexport const list = listClusters;\n'],
    ["lib/data/x.ts", 'import { controlColumn } from "@/lib/db/control-columns";\nexport const column = controlColumn;\n'],
    ["components/x.tsx", 'import { getControl } from "@/lib/posture/control-catalogue";\nexport const get = getControl;\n'],
    // Tests and benchmarks may use anything, test support included.
    ["lib/data/x.test.ts", 'import { runCollection } from "@/lib/collector/run-collection";\nimport { createTestDatabase } from "@/testing/test-database";\nexport const both = [runCollection, createTestDatabase];\n'],
    ["scripts/bench/x.ts", 'import { createTestDatabase } from "@/testing/test-database";\nexport const create = createTestDatabase;\n'],
  ])("%s", async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
