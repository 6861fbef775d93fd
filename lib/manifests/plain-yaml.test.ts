import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";

import { readPlainYaml } from "./plain-yaml";

const FIXTURES = fileURLToPath(new URL("../../testing/fixtures/", import.meta.url));

/** What the general path (the `yaml` package, YAML 1.2 core schema) reads: one value per document. */
function general(text: string): unknown[] {
  return parseAllDocuments(text, { merge: true }).map((document) => document.toJS() ?? null);
}

function yamlFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => path.join(directory, file));
}

describe("the fast path reads plain YAML exactly as the general path does", () => {
  test.each([
    ["scalars of the core schema", "a: yes\nb: no\nc: on\nd: 0755\ne: 0o17\nf: 0x1F\ng: 1e3\nh: .inf\ni: ~\nj: null\nk: 2026-03-01\nl: 12:30\nm: true\nn: False\no: '8080'\np: -1\nq: 1_000\n"],
    ["block and flow collections, quoting, multi-line scalars", 'a:\n  - { x: 1, y: [2, 3] }\n  - "two\\nlines"\nb: |\n  line one\n  line two\nc: >-\n  folded\n  text\nd: \'it\'\'s\'\ne: plain # a comment\n'],
    ["several documents with markers, comments and an empty one", "# head comment\n---\na: 1\n---\n# only a comment\n---\nb: 2\n--- # marker comment\nc: 3\n---\n"],
    ["content on the marker line", "--- {a: 1}\n---\n- x\n- y\n"],
    ["no marker at all", "kind: Namespace\nmetadata:\n  name: shop\n"],
    ["Helm output", "---\n# Source: shop/templates/a.yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n# Source: shop/templates/b.yaml\napiVersion: v1\nkind: ConfigMap\ndata:\n  key: \"value: with --- inside\"\n"],
    ["Windows line ends", "a: 1\r\n---\r\nb: [1, 2]\r\n"],
  ])("%s", (_, text) => {
    const documents = readPlainYaml(text);
    expect(documents).not.toBeNull();
    expect(documents?.map((document) => document.value)).toEqual(general(text));
  });

  test("every YAML fixture the fast path takes reads the same", () => {
    let compared = 0;
    for (const file of yamlFiles(FIXTURES)) {
      const text = readFileSync(file, "utf8");
      const documents = readPlainYaml(text);
      if (!documents) continue;
      expect(documents.map((document) => document.value), file).toEqual(general(text));
      compared += 1;
    }
    expect(compared).toBeGreaterThan(0);
  });

  test.each([
    ["an anchor and alias", "a: &x [1]\nb: *x\n"],
    ["a tag", "a: !!str 1\n"],
    ["a merge key", "base: {a: 1}\nderived:\n  <<: {a: 2}\n"],
    ["a directive", "%YAML 1.2\n---\na: 1\n"],
    ["a document end marker", "a: 1\n...\n---\nb: 2\n"],
    ["a syntax error", "a: [1, 2\nb: 3\n"],
    ["a duplicate key", "a: 1\na: 2\n"],
  ])("%s goes to the general path", (_, text) => {
    expect(readPlainYaml(text)).toBeNull();
  });

  test("document offsets and where each document's content starts", () => {
    const text = "---\n# Source: a.yaml\nkind: A\n---\nkind: B\n";
    expect(readPlainYaml(text)?.map(({ start, end, contentStart }) => [start, end, text.slice(contentStart, contentStart + 7)])).toEqual([
      [0, 29, "kind: A"],
      [29, 41, "kind: B"],
    ]);
  });
});
