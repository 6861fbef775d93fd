// A memo keyed by the structure of a JSON value (as read from YAML or JSON): the value is walked token
// by token through nested maps, so a lookup builds no key text and allocates nothing once the path
// exists. Policies repeat a few selectors tens of thousands of times; stringifying each to look it up
// cost more than reading the rule around it.

const TRUE = 0;
const FALSE = 1;
const NULL = 2;
const UNDEFINED = 3;
const OPEN_OBJECT = 4;
const CLOSE_OBJECT = 5;
const OPEN_ARRAY = 6;
const CLOSE_ARRAY = 7;
const MARKS = 8;

/** One position in the walk. Strings, numbers and structure marks have separate tables, so no two values share a path. */
class TrieNode<T> {
  strings: Map<string, TrieNode<T>> | null = null;
  numbers: Map<number, TrieNode<T>> | null = null;
  marks: (TrieNode<T> | undefined)[] | null = null;
  stored = false;
  value: T | undefined = undefined;
}

/** Deeper values are not memoised (selectors are shallow; this only bounds the walk). */
const MAX_DEPTH = 16;

export class ValueMemo<T> {
  private root = new TrieNode<T>();
  private nodes = 0;

  /** `limit` bounds the nodes kept, so a long-running server does not grow the memo without end. */
  constructor(private readonly limit = 200_000) {}

  get(value: unknown, compute: () => T): T {
    const node = this.walk(this.root, value, 0);
    if (node === null) return compute();
    if (node.stored) return node.value as T;
    const computed = compute();
    if (this.nodes > this.limit) {
      this.root = new TrieNode<T>();
      this.nodes = 0;
      return computed;
    }
    node.stored = true;
    node.value = computed;
    return computed;
  }

  private mark(node: TrieNode<T>, mark: number): TrieNode<T> {
    const marks = (node.marks ??= new Array<TrieNode<T> | undefined>(MARKS));
    let next = marks[mark];
    if (!next) {
      next = new TrieNode<T>();
      marks[mark] = next;
      this.nodes += 1;
    }
    return next;
  }

  private string(node: TrieNode<T>, text: string): TrieNode<T> {
    return this.step((node.strings ??= new Map()), text);
  }

  private number(node: TrieNode<T>, number: number): TrieNode<T> {
    return this.step((node.numbers ??= new Map()), number);
  }

  private step<K>(next: Map<K, TrieNode<T>>, key: K): TrieNode<T> {
    let found = next.get(key);
    if (!found) {
      found = new TrieNode<T>();
      next.set(key, found);
      this.nodes += 1;
    }
    return found;
  }

  /** The node at the end of `value`'s path from `node`; null for what JSON cannot hold (or too deep). */
  private walk(node: TrieNode<T>, value: unknown, depth: number): TrieNode<T> | null {
    switch (typeof value) {
      case "string":
        return this.string(node, value);
      case "number":
        // -0 and 0 are one key to a Map but print differently; NaN never comes from JSON.
        return Object.is(value, -0) || Number.isNaN(value) ? null : this.number(node, value);
      case "boolean":
        return this.mark(node, value ? TRUE : FALSE);
      case "undefined":
        return this.mark(node, UNDEFINED);
      case "object":
        break;
      default:
        return null;
    }
    if (value === null) return this.mark(node, NULL);
    if (depth >= MAX_DEPTH) return null;
    let current: TrieNode<T> | null;
    if (Array.isArray(value)) {
      current = this.mark(node, OPEN_ARRAY);
      for (let index = 0; index < value.length && current !== null; index += 1) current = this.walk(current, value[index], depth + 1);
      return current === null ? null : this.mark(current, CLOSE_ARRAY);
    }
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return null;
    current = this.mark(node, OPEN_OBJECT);
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
      current = this.walk(this.string(current, key), record[key], depth + 1);
      if (current === null) return null;
    }
    return this.mark(current, CLOSE_OBJECT);
  }
}
