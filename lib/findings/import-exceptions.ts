import "server-only";
// An exceptions file (docs/ci.md) imported as waivers of one cluster's findings, with the matcher
// `bulkhead analyze --exceptions` uses: a finding is waived when every namespace, rule or cluster it
// fails on is covered by an exception that has not expired, until the earliest of their expiry dates
// (at most the dashboard's waiver limit). The CLI and the dashboard so agree on what is accepted.

import { Prisma } from "@prisma/client";
import type { Database } from "@/lib/db/client";
import { latestSnapshotJoin } from "@/lib/db/latest-snapshot";
import { MAX_WAIVER_DAYS } from "@/lib/db/waivers";
import { AppError } from "@/lib/errors";
import { ExceptionsFileError, parseExceptionsFile, type ExceptionEntry } from "@/lib/exceptions/exceptions-file";
import { applyExceptions, type ExceptionStatus, type ExceptionTarget } from "@/lib/exceptions/match-exceptions";
import type { ControlResult, RuleRef } from "@/lib/posture";
import { waiveFinding } from "./finding-actions";

const DAY_MS = 86_400_000;
const MAX_REASON = 2_000;

export type ImportAction = "waive" | "already-waived" | "not-covered";

export interface ImportedFinding {
  findingId: number;
  controlId: string;
  action: ImportAction;
  /** waive: the last day the waiver covers (YYYY-MM-DD). */
  until: string | null;
  /** waive: the file asked for later than the dashboard's limit, so the waiver ends at the limit. */
  capped: boolean;
  /** not-covered: the namespaces, rules or cluster it fails on that no exception covers. */
  uncovered: string[];
  /** The exceptions (by position in the file) that cover it. */
  exceptions: number[];
}

export interface ImportResult {
  cluster: { id: number; name: string };
  file: string;
  applied: boolean;
  waived: number;
  findings: ImportedFinding[];
  exceptions: { index: number; line: number | null; status: ExceptionStatus; matches: number }[];
}

function dateOnly(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function describeRule(rule: RuleRef): string {
  return `${rule.kind} ${rule.namespace === null ? rule.policy : `${rule.namespace}/${rule.policy}`} ${rule.list}[${rule.index}]`;
}

/** What a finding fails on, as the matcher's targets: its namespaces or rules from the latest evaluation, else the whole cluster. */
function targetsOf(control: ControlResult | undefined, controlId: string, names: readonly string[]): { target: ExceptionTarget; label: string }[] {
  const evidence = control?.evidence ?? {};
  if (controlId === "NP-06" && evidence.rules && evidence.rules.length > 0) {
    return evidence.rules.map((rule) => ({
      target: { kind: "rule", control: "NP-06", rule: { kind: rule.kind, namespace: rule.namespace, policy: rule.policy, direction: rule.direction, list: rule.list, index: rule.index } },
      label: describeRule(rule),
    }));
  }
  if (["NP-02", "NP-03", "NP-04", "NP-05"].includes(controlId) && evidence.namespaces && evidence.namespaces.length > 0) {
    return evidence.namespaces.map((namespace) => ({ target: { kind: "namespace", control: controlId, namespace }, label: `namespace ${namespace}` }));
  }
  return [{ target: { kind: "cluster", control: controlId, names }, label: `cluster ${names[0]}` }];
}

interface OpenFinding {
  id: number;
  control_id: string;
  waived_until: Date | null;
}

/**
 * Plans (and with `apply`, records) the waivers an exceptions file gives one cluster's open
 * findings. A wrong file is a 400 naming the file, entry, field and line; nothing is written then.
 */
export async function importExceptionsAsWaivers(
  db: Database,
  input: { clusterId: number; file: string; content: string; actor: string; apply: boolean },
  now: Date = new Date(),
): Promise<ImportResult> {
  let entries: ExceptionEntry[];
  try {
    entries = parseExceptionsFile(input.content, input.file).entries;
  } catch (error) {
    if (error instanceof ExceptionsFileError) throw new AppError("bad-request", error.message);
    throw error;
  }
  const cluster = await db.prisma.cluster.findUnique({ where: { id: input.clusterId }, select: { id: true, name: true, key: true } });
  if (!cluster) throw new AppError("not-found", `cluster ${input.clusterId} does not exist`);
  const [evaluation] = await db.prisma.$queryRaw<{ controls: ControlResult[] }[]>(
    Prisma.sql`SELECT e.controls FROM clusters c ${Prisma.raw(latestSnapshotJoin("c", "s"))} JOIN evaluations e ON e.hash = s.evaluation_hash WHERE c.id = ${cluster.id}`,
  );
  const findings = await db.prisma.$queryRaw<OpenFinding[]>(Prisma.sql`
    SELECT f.id, f.control_id,
      (SELECT max(w.expires_at) FROM waivers w WHERE w.finding_id = f.id AND w.revoked_at IS NULL AND w.created_at <= ${now} AND w.expires_at > ${now}) AS waived_until
    FROM findings f
    WHERE f.cluster_id = ${cluster.id} AND (f.resolved_at IS NULL OR f.resolved_at > ${now}) AND f.opened_at <= ${now}
    ORDER BY f.control_id, f.id`);

  const names = [cluster.name, cluster.key];
  const planned = findings.map((finding) => ({ finding, targets: targetsOf(evaluation?.controls.find((control) => control.id === finding.control_id), finding.control_id, names) }));
  const all = planned.flatMap((entry) => entry.targets.map((target) => target.target));
  const { covering, outcomes } = applyExceptions(entries, all, now);
  const limit = dateOnly(new Date(now.getTime() + MAX_WAIVER_DAYS * DAY_MS));

  let position = 0;
  const results: ImportedFinding[] = planned.map(({ finding, targets }) => {
    const covers = targets.map(() => covering[position++] ?? null);
    const uncovered = targets.filter((_, index) => covers[index] === null).map((target) => target.label);
    const used = [...new Set(covers.filter((entry): entry is ExceptionEntry => entry !== null))];
    const base = { findingId: finding.id, controlId: finding.control_id, exceptions: used.map((entry) => entry.index), uncovered };
    if (finding.waived_until) return { ...base, action: "already-waived", until: dateOnly(new Date(finding.waived_until.getTime() - 1)), capped: false };
    if (uncovered.length > 0) return { ...base, action: "not-covered", until: null, capped: false };
    const earliest = used.map((entry) => entry.expires).sort()[0] as string;
    return { ...base, action: "waive", until: earliest > limit ? limit : earliest, capped: earliest > limit };
  });

  let waived = 0;
  if (input.apply) {
    for (const result of results) {
      if (result.action !== "waive" || result.until === null) continue;
      const used = entries.filter((entry) => result.exceptions.includes(entry.index));
      const reasons = [...new Set(used.map((entry) => entry.reason))].join("; ");
      const owners = [...new Set(used.map((entry) => entry.owner))].join(", ");
      const reason = `Exceptions as code (${input.file}, ${used.map((entry) => `exceptions[${entry.index}]`).join(", ")}): ${reasons} (owner ${owners})`;
      await waiveFinding(db, { id: result.findingId, reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason, expiresAt: result.until, actor: input.actor }, now);
      waived += 1;
    }
  }
  return {
    cluster: { id: cluster.id, name: cluster.name },
    file: input.file,
    applied: input.apply,
    waived,
    findings: results,
    exceptions: outcomes.map((outcome) => ({ index: outcome.entry.index, line: outcome.entry.line, status: outcome.status, matches: outcome.matches })),
  };
}
