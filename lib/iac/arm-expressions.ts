// ARM template expressions (`[parameters('policy')]`), worked out where the template says what they
// are: literal parameter defaults, allowed values, variables, and the few functions that only combine
// those. Anything that depends on the deployment (resourceGroup(), reference(), ...) stays unknown.

/** The values an expression can take, or why it cannot be known from the template. */
export type Possible = { values: readonly unknown[] } | { unknown: string };

/** More combinations than this and the expression is called unknown rather than enumerated. */
const MAX_CANDIDATES = 64;
const MAX_DEPTH = 32;

export interface ArmScope {
  parameters: Record<string, unknown>;
  variables: Record<string, unknown>;
  /** Values a nested deployment passes in (`properties.parameters.X.value`), worked out in the outer scope. */
  parameterValues?: Record<string, Possible>;
}

export function isExpression(value: unknown): value is string {
  return typeof value === "string" && value.startsWith("[") && !value.startsWith("[[") && value.endsWith("]");
}

/** A literal string that starts with `[[` stands for one `[`. */
function literal(value: unknown): unknown {
  return typeof value === "string" && value.startsWith("[[") ? value.slice(1) : value;
}

type Token = { kind: "name" | "string" | "number" | "punct"; text: string };

function tokenize(source: string): Token[] | null {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source.charAt(index);
    if (/\s/.test(char)) {
      index += 1;
    } else if (char === "'") {
      let text = "";
      index += 1;
      for (;;) {
        if (index >= source.length) return null;
        if (source.charAt(index) === "'") {
          if (source.charAt(index + 1) === "'") {
            text += "'";
            index += 2;
            continue;
          }
          index += 1;
          break;
        }
        text += source.charAt(index);
        index += 1;
      }
      tokens.push({ kind: "string", text });
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(index)) as RegExpExecArray;
      tokens.push({ kind: "name", text: match[0] });
      index += match[0].length;
    } else if (/[-0-9]/.test(char)) {
      const match = /^-?[0-9]+/.exec(source.slice(index));
      if (!match) return null;
      tokens.push({ kind: "number", text: match[0] });
      index += match[0].length;
    } else if ("(),.[]".includes(char)) {
      tokens.push({ kind: "punct", text: char });
      index += 1;
    } else {
      return null;
    }
  }
  return tokens;
}

type Node =
  | { kind: "literal"; value: unknown }
  | { kind: "call"; name: string; args: Node[] }
  | { kind: "member"; target: Node; key: Node };

function parse(tokens: Token[]): Node | null {
  let at = 0;
  const peek = (text: string): boolean => tokens[at]?.kind === "punct" && tokens[at]?.text === text;
  const expression = (): Node | null => {
    const token = tokens[at];
    if (!token) return null;
    let node: Node;
    at += 1;
    if (token.kind === "string") node = { kind: "literal", value: token.text };
    else if (token.kind === "number") node = { kind: "literal", value: Number(token.text) };
    else if (token.kind === "name" && peek("(")) {
      at += 1;
      const args: Node[] = [];
      while (!peek(")")) {
        const arg = expression();
        if (!arg) return null;
        args.push(arg);
        if (peek(",")) at += 1;
        else if (!peek(")")) return null;
      }
      at += 1;
      node = { kind: "call", name: token.text.toLowerCase(), args };
    } else return null;
    for (;;) {
      if (peek(".") && tokens[at + 1]?.kind === "name") {
        node = { kind: "member", target: node, key: { kind: "literal", value: (tokens[at + 1] as Token).text } };
        at += 2;
      } else if (peek("[")) {
        at += 1;
        const key = expression();
        if (!key || !peek("]")) return null;
        at += 1;
        node = { kind: "member", target: node, key };
      } else return node;
    }
  };
  const node = expression();
  return node && at === tokens.length ? node : null;
}

function product(lists: readonly (readonly unknown[])[]): unknown[][] | null {
  let combos: unknown[][] = [[]];
  for (const list of lists) {
    const next: unknown[][] = [];
    for (const combo of combos) for (const value of list) next.push([...combo, value]);
    if (next.length > MAX_CANDIDATES) return null;
    combos = next;
  }
  return combos;
}

function unique(values: readonly unknown[]): unknown[] {
  const seen = new Map<string, unknown>();
  for (const value of values) seen.set(JSON.stringify(value) ?? "undefined", value);
  return [...seen.values()];
}

function truthy(value: unknown): boolean {
  return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

function pick(value: unknown, key: unknown): unknown {
  if (Array.isArray(value) && typeof key === "number") return value[key];
  if (typeof value === "object" && value !== null && typeof key === "string") {
    // ARM property names are case-insensitive.
    const entry = Object.entries(value).find(([name]) => name.toLowerCase() === key.toLowerCase());
    return entry?.[1];
  }
  return undefined;
}

/** Functions whose result depends only on their arguments. */
const PURE: Record<string, (args: unknown[]) => unknown> = {
  tolower: ([value]) => (typeof value === "string" ? value.toLowerCase() : value),
  toupper: ([value]) => (typeof value === "string" ? value.toUpperCase() : value),
  string: ([value]) => (typeof value === "string" ? value : JSON.stringify(value)),
  concat: (args) => (args.every((arg) => typeof arg === "string" || typeof arg === "number") ? args.join("") : args.flat()),
  equals: ([a, b]) => JSON.stringify(a) === JSON.stringify(b) || (typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase()),
  not: ([value]) => !truthy(value),
  and: (args) => args.every(truthy),
  or: (args) => args.some(truthy),
  true: () => true,
  false: () => false,
  null: () => null,
  bool: ([value]) => truthy(value),
  int: ([value]) => Number(value),
  coalesce: (args) => args.find((arg) => arg !== null && arg !== undefined) ?? null,
  empty: ([value]) => value === null || value === "" || (Array.isArray(value) && value.length === 0) || (typeof value === "object" && value !== null && Object.keys(value).length === 0),
};

class ArmEvaluator {
  private depth = 0;

  constructor(private readonly scope: ArmScope) {}

  /** A template value: an expression is worked out; a literal is itself. */
  value(value: unknown): Possible {
    if (!isExpression(value)) return { values: [literal(value)] };
    const source = value.slice(1, -1);
    const tokens = tokenize(source);
    const node = tokens ? parse(tokens) : null;
    if (!node) return { unknown: `${value} is not an expression Bulkhead can read` };
    if (this.depth > MAX_DEPTH) return { unknown: `${value} refers to itself` };
    this.depth += 1;
    try {
      return this.node(node, value);
    } finally {
      this.depth -= 1;
    }
  }

  private node(node: Node, text: string): Possible {
    if (node.kind === "literal") return { values: [node.value] };
    if (node.kind === "member") {
      const target = this.node(node.target, text);
      const key = this.node(node.key, text);
      if ("unknown" in target) return target;
      if ("unknown" in key) return key;
      const values: unknown[] = [];
      for (const base of target.values) {
        for (const name of key.values) {
          const picked = this.value(pick(base, name));
          if ("unknown" in picked) return picked;
          values.push(...picked.values);
        }
      }
      return this.bounded(values, text);
    }
    if (node.name === "parameters") return this.parameter(node.args, text);
    if (node.name === "variables") return this.variable(node.args, text);
    if (node.name === "if") {
      if (node.args.length !== 3) return { unknown: `${text}: if() takes three arguments` };
      const condition = this.node(node.args[0] as Node, text);
      if ("unknown" in condition) {
        const either = [this.node(node.args[1] as Node, text), this.node(node.args[2] as Node, text)];
        const unknown = either.find((arm) => "unknown" in arm);
        if (unknown) return unknown;
        return this.bounded(either.flatMap((arm) => ("values" in arm ? arm.values : [])), text);
      }
      const values: unknown[] = [];
      if (condition.values.some(truthy)) values.push(...this.orThrow(this.node(node.args[1] as Node, text)));
      if (condition.values.some((value) => !truthy(value))) values.push(...this.orThrow(this.node(node.args[2] as Node, text)));
      return this.bounded(values, text);
    }
    const fn = PURE[node.name];
    if (!fn) return { unknown: `${text} uses ${node.name}(), which is known only when the template is deployed` };
    const args = node.args.map((arg) => this.node(arg, text));
    const unknown = args.find((arg) => "unknown" in arg);
    if (unknown) return unknown;
    const combos = product(args.map((arg) => ("values" in arg ? arg.values : [])));
    if (!combos) return { unknown: `${text} can take more than ${MAX_CANDIDATES} values` };
    return this.bounded(
      combos.map((combo) => fn(combo)),
      text,
    );
  }

  private orThrow(possible: Possible): readonly unknown[] {
    if ("unknown" in possible) throw new UnknownValue(possible.unknown);
    return possible.values;
  }

  private bounded(values: readonly unknown[], text: string): Possible {
    const distinct = unique(values);
    return distinct.length > MAX_CANDIDATES ? { unknown: `${text} can take more than ${MAX_CANDIDATES} values` } : { values: distinct };
  }

  private name(args: Node[]): string | null {
    const [arg] = args;
    return args.length === 1 && arg?.kind === "literal" && typeof arg.value === "string" ? arg.value : null;
  }

  private parameter(args: Node[], text: string): Possible {
    const name = this.name(args);
    if (name === null) return { unknown: `${text}: parameters() needs a literal name` };
    const passed = Object.entries(this.scope.parameterValues ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase());
    if (passed) return passed[1];
    const declared = pick(this.scope.parameters, name) as Record<string, unknown> | undefined;
    if (!declared || typeof declared !== "object") return { unknown: `${text}: the template declares no parameter '${name}'` };
    if (declared.defaultValue !== undefined) return this.value(declared.defaultValue);
    if (Array.isArray(declared.allowedValues) && declared.allowedValues.length > 0) return this.bounded(declared.allowedValues, text);
    return { unknown: `${text}: parameter '${name}' has no default value, so it is known only when the template is deployed` };
  }

  private variable(args: Node[], text: string): Possible {
    const name = this.name(args);
    if (name === null) return { unknown: `${text}: variables() needs a literal name` };
    const entry = Object.entries(this.scope.variables).find(([key]) => key.toLowerCase() === name.toLowerCase());
    if (!entry) return { unknown: `${text}: the template declares no variable '${name}'` };
    return this.value(entry[1]);
  }
}

class UnknownValue extends Error {}

/** Works out a template value; a value that turns out unknown half way through is unknown as a whole. */
export function evaluateArmValue(value: unknown, scope: ArmScope): Possible {
  try {
    return new ArmEvaluator(scope).value(value);
  } catch (error) {
    if (error instanceof UnknownValue) return { unknown: error.message };
    throw error;
  }
}

/**
 * Follows a path of property names from a template value, working out expressions on the way
 * (`properties` may itself be `[variables('clusterProperties')]`). Absent is null.
 */
export function resolveArmPath(root: unknown, keys: readonly string[], scope: ArmScope): Possible {
  let current: Possible = { values: [root] };
  for (const key of keys) {
    if ("unknown" in current) return current;
    const next: unknown[] = [];
    for (const value of current.values) {
      const evaluated = evaluateArmValue(value, scope);
      if ("unknown" in evaluated) return evaluated;
      for (const candidate of evaluated.values) next.push(pick(candidate, key) ?? null);
    }
    current = { values: unique(next) };
  }
  if ("unknown" in current) return current;
  const finals: unknown[] = [];
  for (const value of current.values) {
    const evaluated = evaluateArmValue(value, scope);
    if ("unknown" in evaluated) return evaluated;
    finals.push(...evaluated.values);
  }
  return { values: unique(finals) };
}
