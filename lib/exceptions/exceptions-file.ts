// Exceptions as code (docs/ci.md): a reviewed YAML file of accepted findings, each with a reason, an
// owner and an expiry date. `bulkhead analyze --exceptions` applies it; the dashboard imports the same
// file as waivers of a cluster's findings, so both agree on what is excepted.

import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";

import { CONTROL_IDS } from "../posture/control-catalogue";
import { POLICY_KINDS } from "../posture/statements";
import { ExceptionsFileError } from "./exceptions-text";

/** Controls `analyze` judges and an exception can name; NP-07 (policies present) is a cluster-wide count. */
export const EXCEPTION_CONTROLS = CONTROL_IDS.filter((id) => id !== "NP-07") as unknown as readonly ["NP-01", ...string[]];

const text = (what: string, max: number) =>
  z
    .string(`must be ${what}`)
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^<>\p{Cc}]+$/u, "may not contain < > or control characters");

const ruleSchema = z.strictObject({
  kind: z.enum(POLICY_KINDS, { error: `must be one of ${POLICY_KINDS.join(", ")}` }).default("NetworkPolicy"),
  /** Absent or null: a cluster-scoped object (CiliumClusterwideNetworkPolicy, GlobalNetworkPolicy). */
  namespace: text("a namespace name", 253).nullable().optional(),
  policy: text("the policy object's name", 253),
  direction: z.enum(["ingress", "egress"], { error: "must be ingress or egress" }).optional(),
  /** The rule list (`ingress`, `specs[1].egress`), as `analyze --json` prints it; absent: any list. */
  list: text("a rule list such as egress or specs[1].egress", 100).optional(),
  index: z.int("must be a whole number").min(0, "must be 0 or more"),
});

const entrySchema = z
  .strictObject({
    control: z.enum(EXCEPTION_CONTROLS, { error: `must be one of ${EXCEPTION_CONTROLS.join(", ")} (NP-07 is not judged per namespace or rule)` }).optional(),
    /** The namespace it covers; absent: every namespace. */
    namespace: text("a namespace name", 253).optional(),
    /** A cluster by name (IaC: its Terraform address or ARM name; the dashboard: the AKS name); absent: any cluster. */
    cluster: text("a cluster name or Terraform address", 400).optional(),
    rule: ruleSchema.optional(),
    reason: z.string("must say why").trim().min(10, "must say why (at least 10 characters)").max(2_000, "must be at most 2000 characters"),
    owner: text("a person (e-mail) or team name", 320),
    /** The last day it applies (through the end of that UTC day). */
    expires: z.iso.date("must be a date (YYYY-MM-DD)"),
  })
  .superRefine((entry, context) => {
    if (entry.rule) {
      if (entry.control !== undefined && entry.control !== "NP-06") context.addIssue({ code: "custom", path: ["control"], message: "a rule exception is for NP-06 (allow-any rules): leave control out or write NP-06" });
      if (entry.namespace !== undefined) context.addIssue({ code: "custom", path: ["namespace"], message: "give the namespace inside rule:, not beside it" });
    } else if (entry.control === undefined) {
      context.addIssue({ code: "custom", path: ["control"], message: "say which control (NP-01 … NP-06) or which rule (rule:) is excepted" });
    }
  });

const fileSchema = z.strictObject({
  exceptions: z.array(entrySchema, "must be a list of exceptions"),
});

export type ExceptionRule = z.infer<typeof ruleSchema>;

export interface ExceptionEntry {
  /** Its position in the file, from 0, and its line, for messages. */
  index: number;
  line: number | null;
  control: string;
  namespace: string | null;
  cluster: string | null;
  rule: ExceptionRule | null;
  reason: string;
  owner: string;
  /** YYYY-MM-DD: it applies through the end of that UTC day. */
  expires: string;
}

export interface ExceptionsFile {
  file: string;
  entries: ExceptionEntry[];
}

export { describeEntry, ExceptionsFileError } from "./exceptions-text";

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : `${out === "" ? "" : "."}${String(key)}`;
  return out === "" ? "(the file)" : out;
}

/** Parses and validates an exceptions file's text; `file` names it in every message. */
export function parseExceptionsFile(source: string, file: string): ExceptionsFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ExceptionsFileError(
      file,
      document.errors.map((error) => `line ${error.linePos?.[0]?.line ?? "?"}: ${error.message.split("\n", 1)[0]?.replace(/ at line \d+, column \d+:?$/, "")}`),
    );
  }
  const lineOf = (path: readonly PropertyKey[]): number | null => {
    for (let length = path.length; length >= 0; length -= 1) {
      const node = document.getIn(path.slice(0, length) as (string | number)[], true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && Array.isArray(node.range)) return lineCounter.linePos(node.range[0]).line;
    }
    return null;
  };
  let value: unknown;
  try {
    // An exceptions file has no use for many aliases; the cap keeps a hostile one small.
    value = document.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new ExceptionsFileError(file, [`cannot be read: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    throw new ExceptionsFileError(
      file,
      parsed.error.issues.map((issue) => {
        const line = lineOf(issue.path);
        const unknownKeys = issue.code === "unrecognized_keys" ? `: ${issue.keys.join(", ")} (allowed: control, namespace, cluster, rule, reason, owner, expires)` : "";
        return `${formatPath(issue.path)}${line ? ` (line ${line})` : ""}: ${issue.code === "unrecognized_keys" ? "unknown field" : issue.message}${unknownKeys}`;
      }),
    );
  }
  return {
    file,
    entries: parsed.data.exceptions.map((entry, index) => ({
      index,
      line: lineOf(["exceptions", index]),
      control: entry.rule ? "NP-06" : (entry.control as string),
      namespace: entry.namespace ?? null,
      cluster: entry.cluster ?? null,
      rule: entry.rule ?? null,
      reason: entry.reason,
      owner: entry.owner,
      expires: entry.expires,
    })),
  };
}

