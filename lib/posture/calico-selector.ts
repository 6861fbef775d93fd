// Calico's selector language (projectcalico.org/v3 policies), parsed by recursive descent into the
// evaluator's selector shape. Grammar and semantics follow libcalico-go's tokenizer and parser:
//
//   or      := and ( "||" and )*
//   and     := op ( "&&" op )*
//   op      := "!"* ( "all()" | "global()" | "has(" label ")" | "(" or ")"
//                  | label ( "==" | "!=" | "contains" | "starts with" | "ends with" ) string
//                  | label ( "in" | "not in" ) "{" [ string ( "," string )* ] "}" )
//
// Strings are single- or double-quoted without escapes; labels are [a-zA-Z0-9_./-]+. `!=` and
// `not in` also match when the label is absent; `contains`, `starts with` and `ends with` need it.
// An empty selector is all().

import { and, compileEntries, not, or, SelectorMemo, UNKNOWN_LABEL, type CompiledSelector, type LabelLookup, type SelectorResult } from "./label-selectors";

/** A selector that does not parse: `position` is the 0-based offset in the text where reading stopped. */
export class CalicoSelectorError extends Error {
  readonly position: number;
  readonly selector: string;

  constructor(selector: string, position: number, message: string) {
    super(`${message} at position ${position + 1}`);
    this.name = "CalicoSelectorError";
    this.position = position;
    this.selector = selector;
  }
}

type TokenKind =
  | "label"
  | "string"
  | "lbrace"
  | "rbrace"
  | "comma"
  | "eq"
  | "ne"
  | "in"
  | "notin"
  | "not"
  | "contains"
  | "startswith"
  | "endswith"
  | "all"
  | "global"
  | "has"
  | "lparen"
  | "rparen"
  | "and"
  | "or"
  | "eof";

interface Token {
  kind: TokenKind;
  value: string;
  position: number;
}

const LABEL_CHAR = /[a-zA-Z0-9_./-]/;

function readLabel(input: string, start: number): string {
  let end = start;
  while (end < input.length && LABEL_CHAR.test(input.charAt(end))) end += 1;
  return input.slice(start, end);
}

function skipSpace(input: string, position: number): number {
  let next = position;
  while (next < input.length && (input.charAt(next) === " " || input.charAt(next) === "\t")) next += 1;
  return next;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  const fail = (at: number, message: string): never => {
    throw new CalicoSelectorError(input, at, message);
  };
  for (;;) {
    position = skipSpace(input, position);
    if (position >= input.length) {
      tokens.push({ kind: "eof", value: "", position });
      return tokens;
    }
    const start = position;
    const char = input.charAt(position);
    const next = input.charAt(position + 1);
    const push = (kind: TokenKind, length: number, value = ""): void => {
      tokens.push({ kind, value, position: start });
      position += length;
    };
    if (char === "(") push("lparen", 1);
    else if (char === ")") push("rparen", 1);
    else if (char === "{") push("lbrace", 1);
    else if (char === "}") push("rbrace", 1);
    else if (char === ",") push("comma", 1);
    else if (char === '"' || char === "'") {
      const close = input.indexOf(char, position + 1);
      if (close < 0) fail(start, "unterminated string");
      tokens.push({ kind: "string", value: input.slice(position + 1, close), position: start });
      position = close + 1;
    } else if (char === "=") {
      if (next !== "=") fail(start, "expected ==");
      push("eq", 2);
    } else if (char === "!") {
      if (next === "=") push("ne", 2);
      else push("not", 1);
    } else if (char === "&") {
      if (next !== "&") fail(start, "expected &&");
      push("and", 2);
    } else if (char === "|") {
      if (next !== "|") fail(start, "expected ||");
      push("or", 2);
    } else if (tokens[tokens.length - 1]?.kind === "label") {
      // After a label only an operator word may follow, as in Calico's tokenizer.
      const rest = input.slice(position);
      const word = (text: string, kind: TokenKind): boolean => {
        if (!rest.startsWith(text)) return false;
        push(kind, text.length);
        return true;
      };
      const twoWords = (first: string, second: string, kind: TokenKind): boolean => {
        if (!rest.startsWith(first)) return false;
        const after = skipSpace(input, position + first.length);
        if (!input.startsWith(second, after)) fail(after, `expected "${first} ${second}"`);
        tokens.push({ kind, value: "", position: start });
        position = after + second.length;
        return true;
      };
      if (!(word("contains", "contains") || twoWords("starts", "with", "startswith") || twoWords("ends", "with", "endswith") || twoWords("not", "in", "notin") || word("in", "in"))) {
        fail(start, `unexpected characters after label "${tokens[tokens.length - 1]?.value ?? ""}", expected an operator`);
      }
    } else if (input.startsWith("has(", position)) {
      const labelStart = skipSpace(input, position + 4);
      const label = readLabel(input, labelStart);
      if (label === "") fail(labelStart, "no label name in has(");
      const close = skipSpace(input, labelStart + label.length);
      if (input.charAt(close) !== ")") fail(close, "no closing ) after has(");
      tokens.push({ kind: "has", value: label, position: start });
      position = close + 1;
    } else if (input.startsWith("all(", position) || input.startsWith("global(", position)) {
      const kind: TokenKind = input.startsWith("all(", position) ? "all" : "global";
      const close = skipSpace(input, position + (kind === "all" ? 4 : 7));
      if (input.charAt(close) !== ")") fail(close, `no closing ) after ${kind}(`);
      tokens.push({ kind, value: "", position: start });
      position = close + 1;
    } else {
      const label = readLabel(input, position);
      if (label === "") fail(start, `unexpected character ${JSON.stringify(char)}`);
      push("label", label.length, label);
    }
  }
}

/** A parsed selector node: evaluates over a label lookup, three-valued. */
type Node = { test: (lookup: LabelLookup) => SelectorResult; text: string; global: boolean };

class Parser {
  private index = 0;

  constructor(
    private readonly input: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private fail(token: Token, message: string): never {
    throw new CalicoSelectorError(this.input, token.position, message);
  }

  parseRoot(): Node {
    const node = this.parseOr();
    const token = this.peek();
    if (token.kind !== "eof") this.fail(token, "unexpected content at end of selector");
    return node;
  }

  private parseOr(): Node {
    const nodes = [this.parseAnd()];
    while (this.peek().kind === "or") {
      this.index += 1;
      nodes.push(this.parseAnd());
    }
    if (nodes.length === 1) return nodes[0] as Node;
    return { text: nodes.map((node) => node.text).join(" || "), global: nodes.some((node) => node.global), test: (lookup) => or(nodes.map((node) => node.test(lookup))) };
  }

  private parseAnd(): Node {
    const nodes = [this.parseOperation()];
    while (this.peek().kind === "and") {
      this.index += 1;
      nodes.push(this.parseOperation());
    }
    if (nodes.length === 1) return nodes[0] as Node;
    return { text: nodes.map((node) => node.text).join(" && "), global: nodes.some((node) => node.global), test: (lookup) => and(nodes.map((node) => node.test(lookup))) };
  }

  private parseOperation(): Node {
    let negated = false;
    while (this.peek().kind === "not") {
      negated = !negated;
      this.index += 1;
    }
    const node = this.parseTerm();
    return negated ? { text: `!${node.text}`, global: node.global, test: (lookup) => not(node.test(lookup)) } : node;
  }

  private expectString(): string {
    const token = this.peek();
    if (token.kind !== "string") this.fail(token, "expected a quoted string");
    this.index += 1;
    return token.value;
  }

  private parseTerm(): Node {
    const token = this.peek();
    this.index += 1;
    switch (token.kind) {
      case "all":
        return { text: "all()", global: false, test: () => true };
      case "global":
        // Selects non-namespaced resources (GlobalNetworkSets, host endpoints), never pods.
        return { text: "global()", global: true, test: () => false };
      case "has": {
        const key = token.value;
        return { text: `has(${key})`, global: false, test: (lookup) => valueTest(lookup(key), (value) => value !== undefined) };
      }
      case "lparen": {
        const inner = this.parseOr();
        const close = this.peek();
        if (close.kind !== "rparen") this.fail(close, "expected )");
        this.index += 1;
        return { ...inner, text: `(${inner.text})` };
      }
      case "label":
        return this.parseComparison(token.value);
      case "eof":
        return this.fail(token, "unexpected end of selector");
      default:
        return this.fail(token, "expected a label, has(), all(), ! or (");
    }
  }

  private parseComparison(key: string): Node {
    const operator = this.peek();
    this.index += 1;
    switch (operator.kind) {
      case "eq": {
        const expected = this.expectString();
        return { text: `${key} == "${expected}"`, global: false, test: (lookup) => valueTest(lookup(key), (value) => value === expected) };
      }
      case "ne": {
        const expected = this.expectString();
        return { text: `${key} != "${expected}"`, global: false, test: (lookup) => valueTest(lookup(key), (value) => value !== expected) };
      }
      case "contains": {
        const part = this.expectString();
        return { text: `${key} contains "${part}"`, global: false, test: (lookup) => valueTest(lookup(key), (value) => value !== undefined && value.includes(part)) };
      }
      case "startswith": {
        const part = this.expectString();
        return { text: `${key} starts with "${part}"`, global: false, test: (lookup) => valueTest(lookup(key), (value) => value !== undefined && value.startsWith(part)) };
      }
      case "endswith": {
        const part = this.expectString();
        return { text: `${key} ends with "${part}"`, global: false, test: (lookup) => valueTest(lookup(key), (value) => value !== undefined && value.endsWith(part)) };
      }
      case "in":
      case "notin": {
        const values = this.parseSet();
        const text = `${key} ${operator.kind === "in" ? "in" : "not in"} {${[...values].sort().map((value) => `"${value}"`).join(", ")}}`;
        return operator.kind === "in"
          ? { text, global: false, test: (lookup) => valueTest(lookup(key), (value) => value !== undefined && values.has(value)) }
          : { text, global: false, test: (lookup) => valueTest(lookup(key), (value) => value === undefined || !values.has(value)) };
      }
      default:
        return this.fail(operator, `expected an operator after label "${key}"`);
    }
  }

  private parseSet(): Set<string> {
    const open = this.peek();
    if (open.kind !== "lbrace") this.fail(open, "expected {");
    this.index += 1;
    const values = new Set<string>();
    while (this.peek().kind === "string") {
      values.add(this.expectString());
      if (this.peek().kind !== "comma") break;
      this.index += 1;
    }
    const close = this.peek();
    if (close.kind !== "rbrace") this.fail(close, "expected }");
    this.index += 1;
    return values;
  }
}

function valueTest(value: string | undefined | typeof UNKNOWN_LABEL, test: (value: string | undefined) => boolean): SelectorResult {
  return value === UNKNOWN_LABEL ? null : test(value);
}

export interface ParsedCalicoSelector extends CompiledSelector {
  /** Uses global(): it selects non-namespaced resources only. */
  global: boolean;
}

const PARSED = new SelectorMemo<ParsedCalicoSelector | CalicoSelectorError>();

/** Parses a Calico selector; throws CalicoSelectorError naming the position. Empty text is all(). */
export function parseCalicoSelector(text: string): ParsedCalicoSelector {
  const parsed = PARSED.get(text, () => {
    if (text.trim() === "") return { ...compileEntries([]), global: false };
    try {
      const node = new Parser(text, tokenize(text)).parseRoot();
      return { empty: node.text === "all()", test: node.test, canonical: node.text, global: node.global };
    } catch (error) {
      if (error instanceof CalicoSelectorError) return error;
      throw error;
    }
  });
  if (parsed instanceof CalicoSelectorError) throw parsed;
  return parsed;
}
