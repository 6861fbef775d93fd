import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from "yaml";
import { MAX_NESTING_DEPTH, MAX_YAML_EXPANDED_BYTES, MAX_YAML_EXPANDED_NODES } from "@/lib/input/input-limits";

export interface Expansion {
  /** Nodes the document becomes once every alias is replaced by what it names. */
  nodes: number;
  /** Bytes of keys and scalar values in that expansion. */
  bytes: number;
  /** Levels of maps and lists in it. */
  depth: number;
}

export class ExpansionLimitError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "ExpansionLimitError";
  }
}

/**
 * What a YAML document expands to, measured on its syntax tree before anything is expanded: each
 * anchored node is measured once, each alias counts what its anchor holds. A 150 KB file whose
 * aliases name one wide anchor a thousand times (yaml's own alias limit lets that through) would
 * otherwise become millions of objects. Throws ExpansionLimitError past the limits.
 */
export function measureExpansion(document: Document.Parsed): Expansion {
  const anchors = new Map<string, Node>();
  const measured = new Map<Node, Expansion>();
  const inProgress = new Set<Node>();
  let totalNodes = 0;

  const measure = (node: unknown, level: number): Expansion => {
    if (level > MAX_NESTING_DEPTH) throw new ExpansionLimitError(`nests objects or lists deeper than ${MAX_NESTING_DEPTH} levels`);
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) return { nodes: 1, bytes: 0, depth: 0 };
      if (inProgress.has(target)) throw new ExpansionLimitError(`alias *${node.source} refers to a node that contains it`);
      const size = measured.get(target) ?? measure(target, level);
      totalNodes += size.nodes;
      check(size);
      return size;
    }
    if (node === null || typeof node !== "object") return { nodes: 0, bytes: 0, depth: 0 };
    const known = measured.get(node as Node);
    if (known) return known;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node as Node);
    inProgress.add(node as Node);
    let size: Expansion;
    if (isScalar(node)) {
      size = { nodes: 1, bytes: String(node.value ?? "").length, depth: 0 };
    } else if (isMap(node) || isSeq(node)) {
      size = { nodes: 1, bytes: 0, depth: 1 };
      for (const item of node.items) {
        const parts = isPair(item) ? [item.key, item.value] : [item];
        for (const part of parts) {
          const child = measure(part, level + 1);
          size = { nodes: size.nodes + child.nodes, bytes: size.bytes + child.bytes, depth: Math.max(size.depth, child.depth + 1) };
          check(size);
        }
      }
    } else {
      size = { nodes: 1, bytes: 0, depth: 0 };
    }
    inProgress.delete(node as Node);
    measured.set(node as Node, size);
    totalNodes += 1;
    return size;
  };

  const check = (size: Expansion) => {
    if (size.nodes > MAX_YAML_EXPANDED_NODES || totalNodes > MAX_YAML_EXPANDED_NODES) {
      throw new ExpansionLimitError(`its anchors and aliases expand to more than ${MAX_YAML_EXPANDED_NODES.toLocaleString("en")} nodes`);
    }
    if (size.bytes > MAX_YAML_EXPANDED_BYTES) {
      throw new ExpansionLimitError(`its anchors and aliases expand to more than ${MAX_YAML_EXPANDED_BYTES / 1024 / 1024} MB of text`);
    }
    if (size.depth > MAX_NESTING_DEPTH) throw new ExpansionLimitError(`nests objects or lists deeper than ${MAX_NESTING_DEPTH} levels`);
  };

  const result = measure(document.contents, 0);
  check(result);
  return result;
}
