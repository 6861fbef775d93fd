// `bulkhead reevaluate` against the real Postgres (docs/design.md §3, docs/reevaluate.md): a store
// judged with rules version 1 becomes the store rules version 2 would have written, findings keep
// their workflow, trends do not step on the upgrade day, old results stay readable until the commit,
// collection waits, and a killed re-evaluation resumes.
import { spawn } from "node:child_process";
import { controlSlaDefaultsJson, slaDueText } from "@/lib/findings/sla-sql";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { resetStore } from "@/lib/demo/fill-demo-store";
import { RUN_LOCK_KEY } from "@/lib/collector/run-record";
import { assignFindings, commentOnFinding, waiveFinding } from "@/lib/findings/finding-actions";
import { getKpiTrend } from "@/lib/kpi/get-kpi-trend";
import { getKpis } from "@/lib/kpi/get-kpis";
import { DEFAULT_POSTURE_CONFIG, evaluateCluster, RULES_VERSION } from "@/lib/posture";
import { makeCluster, scriptedSource, SUB_A } from "@/testing/estate-builders";
import { findProjectRoot } from "@/lib/db/project-root";
import { judgeWithRulesOne } from "@/testing/rules-one";
import { runCli } from "@/testing/run-cli";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { reevaluateStore, type ReevaluateProgress } from "./reevaluate";
import { readRulesStatus } from "@/lib/data/rules-status";

const db = setupTestDatabase({ resetBeforeEach: true });
const config = DEFAULT_POSTURE_CONFIG;
const DAY = 86_400_000;
const FIRST_DAY = Date.UTC(2026, 1, 1, 6);
const dayAt = (index: number) => new Date(FIRST_DAY + index * DAY);

const namespace = (name: string) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "kubernetes.io/metadata.name": name } } });
const policy = (name: string, spec: Record<string, unknown>) => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: "app" }, spec });
const DENY_INGRESS = policy("deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] });
const DENY_ALL = policy("deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
// Rules version 1 failed this everyday policy: its egress has a rule. Version 2 sees a default deny.
const DENY_EGRESS_BUT_DNS = policy("deny-egress-but-dns", {
  podSelector: {},
  policyTypes: ["Egress"],
  egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ protocol: "UDP", port: 53 }] }],
});
// Rules version 1 passed an empty deny beside this; version 2 sees no default deny for ingress.
const ALLOW_WORLD = policy("allow-world", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] });
// Pods of `app` (pod classes, §4.5): lateral exposure is known for every cluster with in-cluster data.
const PODS = [
  { metadata: { namespace: "app", labels: { app: "web" } }, count: 2 },
  { metadata: { namespace: "app", labels: { app: "db" } }, count: 1 },
];
const objects = (...policies: unknown[]) => ({ namespaces: [namespace("app"), namespace("kube-system")], policies, pods: PODS });

/**
 * Four clusters over ten days: `dns-style` (v1 fails NP-03, v2 passes), `world` (v1 passes NP-02, v2
 * fails it until the allow goes on day 6), `late` (default deny from day 3, the same under both),
 * `gone` (deleted on days 4–6, back on day 7). `steady`: the same objects every day, and no `world`.
 */
function dayOf(index: number, options: { steady?: boolean } = {}) {
  const names = [
    "dns-style",
    // Steady, a cluster whose rules-1 pass and rules-2 fail would hide the other's change in the totals.
    ...(options.steady ? [] : ["world"]),
    "late",
    ...(!options.steady && index >= 4 && index <= 6 ? [] : ["gone"]),
  ];
  const inCluster = {
    "dns-style": objects(DENY_INGRESS, DENY_EGRESS_BUT_DNS),
    world: !options.steady && index >= 6 ? objects(DENY_ALL, DENY_EGRESS_BUT_DNS) : objects(DENY_ALL, ALLOW_WORLD, DENY_EGRESS_BUT_DNS),
    late: options.steady || index >= 3 ? objects(DENY_ALL, DENY_EGRESS_BUT_DNS) : objects(),
    gone: objects(),
  };
  return scriptedSource({ [SUB_A]: names.map((name) => makeCluster({ name, owner: "team-a", production: true })) }, inCluster);
}

async function collect(days: number[], options: { steady?: boolean; judge?: typeof judgeWithRulesOne } = {}): Promise<void> {
  for (const index of days) {
    const run = await runCollection(db, { source: dayOf(index, options), capturedAt: dayAt(index), config, judge: options.judge });
    expect(run.status).toBe("completed");
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** Everything a re-evaluation rebuilds, in a form that does not depend on row ids. */
async function derivedState() {
  const intervals = await db.pool.query(
    `SELECT c.name, pi.snapshot_id::text, pi.valid_from, pi.valid_to, pi.np01, pi.np02, pi.np03, pi.np04, pi.np05, pi.np06, pi.np07,
            pi.controls_passed, pi.controls_failed, pi.allow_any_count, pi.lateral_exposure, pi.workload_pods, pi.owner, pi.production, pi.advisory_ids
       FROM posture_intervals pi JOIN clusters c ON c.id = pi.cluster_id ORDER BY c.name, pi.valid_from`,
  );
  const findings = await db.pool.query(
    `SELECT c.name, f.control_id, f.opened_at, f.opened_snapshot_id::text, f.resolved_at, f.resolved_snapshot_id::text, f.resolution::text, f.owner
       FROM findings f JOIN clusters c ON c.id = f.cluster_id WHERE f.resolution IS DISTINCT FROM 'superseded'
      ORDER BY c.name, f.control_id, f.opened_at`,
  );
  const snapshots = await db.pool.query(
    `SELECT c.name, s.captured_at, s.np02, s.np03, s.controls_failed, s.rules_version, s.evaluation_hash, s.reachability_hash, s.lateral_exposure, s.workload_pods, s.advisory_ids
       FROM snapshots s JOIN clusters c ON c.id = s.cluster_id ORDER BY c.name, s.captured_at`,
  );
  return { intervals: intervals.rows, findings: findings.rows, snapshots: snapshots.rows };
}

async function findingOf(cluster: string, controlId: string, openedAt?: Date) {
  const { rows } = await db.pool.query<{ id: number; assignee: string | null; resolution: string | null; opened_at: Date; resolved_at: Date | null }>(
    `SELECT f.id, f.assignee, f.resolution::text AS resolution, f.opened_at, f.resolved_at FROM findings f JOIN clusters c ON c.id = f.cluster_id
      WHERE c.name = $1 AND f.control_id = $2 AND ($3::timestamptz IS NULL OR f.opened_at = $3) ORDER BY f.opened_at DESC LIMIT 1`,
    [cluster, controlId, openedAt ?? null],
  );
  return rows[0];
}

const eventsOf = async (findingId: number) =>
  (await db.pool.query<{ type: string; data: Record<string, unknown> }>(`SELECT type, data FROM finding_events WHERE finding_id = $1 ORDER BY id`, [findingId])).rows;

describe("bulkhead reevaluate", () => {
  test("turns a store judged with rules version 1 into the store rules version 2 writes, and keeps findings' workflow on their episodes", async () => {
    // What this version records from these ten days.
    await collect(range(0, 9));
    const written = await derivedState();

    // The same ten days as an older Bulkhead recorded them: every snapshot judged with rules version 1.
    await resetStore(db);
    await collect(range(0, 9), { judge: judgeWithRulesOne });
    const old = await derivedState();
    expect(old).not.toEqual(written);
    expect(old.snapshots.every((snapshot) => snapshot.rules_version === 1)).toBe(true);
    expect(await readRulesStatus(db.pool, RUN_LOCK_KEY)).toMatchObject({ storedVersion: 1, currentVersion: RULES_VERSION, needsReevaluation: true });

    // People's work on the rules-1 findings.
    const egressOnly = await findingOf("dns-style", "NP-03"); // rules 1 only: the rules change removes it
    const gone = await findingOf("gone", "NP-02", dayAt(7)); // the same under both rules
    expect(egressOnly).toMatchObject({ resolution: null });
    expect(gone).toMatchObject({ resolution: null });
    const now = new Date(FIRST_DAY + 12 * DAY);
    await assignFindings(db, { ids: [egressOnly.id, gone.id], assignee: "alice@example.com", dueAt: "2026-03-01", actor: "manager@example.com" }, now);
    await commentOnFinding(db, { id: gone.id, text: "Platform team owns this", actor: "manager@example.com" }, now);
    await waiveFinding(db, { id: gone.id, reason: "Decommissioning", expiresAt: "2026-03-10", actor: "manager@example.com" }, now);
    const goneTrail = await eventsOf(gone.id);

    const progress: ReevaluateProgress[] = [];
    const result = await reevaluateStore(db, { config, actor: "admin@example.com", onProgress: (event) => void progress.push(event) });

    expect(result).toMatchObject({ status: "completed", fromRulesVersion: 1, rulesVersion: RULES_VERSION, documentsFailed: 0, resumedFrom: null });
    expect(await derivedState()).toEqual(written);
    expect(await readRulesStatus(db.pool, RUN_LOCK_KEY)).toMatchObject({ storedVersion: RULES_VERSION, needsReevaluation: false, latest: { status: "completed", startedBy: "admin@example.com" } });
    expect(progress[0]).toMatchObject({ type: "started", fromRulesVersion: 1 });
    expect(progress.filter((event) => event.type === "writing").map((event) => (event as { step: string }).step)).toContain("findings");

    // Kept: the same row, its assignee, comment, waiver and trail, and nothing said (its episode did not move).
    const keptGone = await findingOf("gone", "NP-02", dayAt(7));
    expect(keptGone).toMatchObject({ id: gone.id, assignee: "alice@example.com", resolution: null });
    expect(await eventsOf(gone.id)).toEqual(goneTrail);
    expect(await db.prisma.waiver.count({ where: { findingId: gone.id } })).toBe(1);

    // Superseded: closed where it opened, out of every KPI, its workflow and trail kept, the reason said.
    const superseded = await db.prisma.finding.findUniqueOrThrow({ where: { id: egressOnly.id } });
    expect(superseded).toMatchObject({ resolution: "superseded", assignee: "alice@example.com" });
    expect(superseded.resolvedAt).toEqual(superseded.openedAt);
    expect((await eventsOf(egressOnly.id)).at(-1)).toMatchObject({ type: "rules-changed", data: { change: "closed", rulesVersion: RULES_VERSION, fromRulesVersion: 1 } });

    // Opened: the episode only rules version 2 sees, with the reason in its trail.
    const world = await findingOf("world", "NP-02");
    expect(world).toMatchObject({ opened_at: dayAt(0), resolved_at: dayAt(6), resolution: "passed", assignee: null });
    expect(await eventsOf(world.id)).toEqual([expect.objectContaining({ type: "rules-changed", data: expect.objectContaining({ change: "opened" }) })]);
    expect(result.findings.closed).toBeGreaterThanOrEqual(1);
    expect(result.findings.opened).toBeGreaterThanOrEqual(1);
    // Every finding the re-evaluation opened or moved has the SLA due date of its (new) opening.
    const { rows: offDue } = await db.pool.query<{ id: number }>(
      `SELECT f.id FROM findings f JOIN jsonb_to_recordset($1::jsonb) AS policy(control_id text, default_sla_days int) ON policy.control_id = f.control_id
        WHERE f.resolution IS DISTINCT FROM 'superseded' AND f.sla_due_at <> ${slaDueText("f.opened_at", "policy.default_sla_days")}`,
      [controlSlaDefaultsJson()],
    );
    expect(offDue).toEqual([]);

    // The rules-1 evidence is gone; what remains is what the snapshots use.
    const { rows: versions } = await db.pool.query<{ rules_version: number }>(`SELECT DISTINCT rules_version FROM evaluations`);
    expect(versions).toEqual([{ rules_version: RULES_VERSION }]);
  });

  test("history recorded before reachability was stored gets it: the rules status asks, and --if-needed fills it", async () => {
    await collect(range(0, 5));
    const written = await derivedState();
    const documents = (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM reachability_documents`)).rows[0].n;
    expect(documents).toBeGreaterThan(0);
    expect(written.snapshots.every((snapshot) => snapshot.reachability_hash !== null && snapshot.workload_pods === 3)).toBe(true);

    // The same days as the previous version recorded them: rules version 2, no reachability.
    await resetStore(db);
    await collect(range(0, 5), { judge: (cluster, inCluster, options) => ({ ...evaluateCluster(cluster, inCluster, options), reachability: null }) });
    expect((await derivedState()).snapshots.every((snapshot) => snapshot.reachability_hash === null && snapshot.lateral_exposure === null)).toBe(true);
    expect(await readRulesStatus(db.pool, RUN_LOCK_KEY)).toMatchObject({ storedVersion: RULES_VERSION, reachabilityMissing: true, needsReevaluation: true });
    const notice = await runCli(["kpis", "--json"], { DATABASE_URL: db.url });
    expect(notice.stderr).toMatch(/history recorded before reachability was stored: lateral exposure is missing from it\. Run `bulkhead reevaluate`/);
    expect(JSON.parse(notice.stdout).groups[0]).toMatchObject({ lateralExposure: null, clustersWithExposure: 0 });

    expect(await reevaluateStore(db, { config, actor: "test", ifNeeded: true })).toMatchObject({ status: "completed", documentsFailed: 0 });
    expect(await derivedState()).toEqual(written);
    expect((await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM reachability_documents`)).rows[0].n).toBe(documents);
    expect(await readRulesStatus(db.pool, RUN_LOCK_KEY)).toMatchObject({ reachabilityMissing: false, needsReevaluation: false });
    expect(await reevaluateStore(db, { config, actor: "test", ifNeeded: true })).toMatchObject({ status: "not-needed" });
  });

  test("an open finding the new rules fold into an earlier episode gives way to the finding that reopens", async () => {
    // `flip` fails NP-02 on days 0–2 and 6–9 under both rules; on days 3–5 an allow-from-world beside
    // the deny passes under rules 1 only. Rules 1: a finding resolved on day 3 and one open since day
    // 6. Rules 2: one episode open since day 0 — the earlier finding reopens and the open one is
    // superseded, which must not put two open findings of one control on the cluster at any moment.
    const flip = (index: number) =>
      scriptedSource({ [SUB_A]: [makeCluster({ name: "flip", owner: "team-a", production: true })] }, { flip: index >= 3 && index <= 5 ? objects(DENY_ALL, ALLOW_WORLD) : objects() });
    const record = async (judge?: typeof judgeWithRulesOne) => {
      for (const index of range(0, 9)) await runCollection(db, { source: flip(index), capturedAt: dayAt(index), config, judge });
    };
    await record();
    const written = await derivedState();
    await resetStore(db);
    await record(judgeWithRulesOne);
    const first = await findingOf("flip", "NP-02", dayAt(0));
    const latest = await findingOf("flip", "NP-02", dayAt(6));
    expect(first).toMatchObject({ resolved_at: dayAt(3), resolution: "passed" });
    expect(latest).toMatchObject({ resolution: null });

    const result = await reevaluateStore(db, { config, actor: "test" });

    expect(result.findings).toMatchObject({ moved: 1, closed: 1 });
    expect(await derivedState()).toEqual(written);
    expect(await findingOf("flip", "NP-02", dayAt(0))).toMatchObject({ id: first.id, resolved_at: null, resolution: null });
    expect(await db.prisma.finding.findUniqueOrThrow({ where: { id: latest.id } })).toMatchObject({ resolution: "superseded" });
  });

  test("a second run with the same rules changes nothing", async () => {
    await collect(range(0, 5));
    const before = await derivedState();
    const events = await db.prisma.findingEvent.count();
    const result = await reevaluateStore(db, { config, actor: "test" });
    expect(result).toMatchObject({ status: "completed", snapshotsChanged: 0, clustersChanged: 0 });
    expect(await derivedState()).toEqual(before);
    expect(await db.prisma.findingEvent.count()).toBe(events);
    expect(await reevaluateStore(db, { config, actor: "test", ifNeeded: true })).toMatchObject({ status: "not-needed" });
  });

  test("KPI trends after re-evaluation show no step on the upgrade day", async () => {
    // Days 0–4 recorded by the old version (rules 1); the upgrade; days 5–9 by this one. Nothing in
    // the clusters changes in those ten days.
    await collect(range(0, 4), { steady: true, judge: judgeWithRulesOne });
    await collect(range(5, 9), { steady: true });

    const trend = () => getKpiTrend(db, { fromDay: dayAt(0), toDay: dayAt(9) });
    const figures = (point: Awaited<ReturnType<typeof trend>>[number]) => ({
      failed: point.controlsFailed,
      passed: point.controlsPassed,
      audit: point.auditPassRate,
      open: point.openFindings,
      exposure: point.lateralExposure,
      withExposure: point.clustersWithExposure,
    });
    const before = await trend();
    expect(figures(before[4])).not.toEqual(figures(before[5])); // the step a rule change alone made

    // The first command after the upgrade says what to do.
    const notice = await runCli(["kpis", "--json"], { DATABASE_URL: db.url });
    expect(notice.stderr).toMatch(/history judged with rules version 1; this version judges with rules version 2\. Run `bulkhead reevaluate`/);

    const cli = await runCli(["reevaluate"], { DATABASE_URL: db.url });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^Re-evaluated the store under rules version 2 \(was 1\) in [\d.]+ s\./);
    expect(cli.stderr).toMatch(/judging: \d+\/\d+ source documents/);

    const after = await trend();
    expect(after).toHaveLength(10);
    for (const point of after) expect(figures(point)).toEqual(figures(after[0]));
    expect(figures(after[0])).toEqual(figures(before[9]));
    // Rules version 1 stored no reachability: lateral exposure now covers the days before the upgrade too.
    expect(before[0].lateralExposure).toBeNull();
    expect(after[0]).toMatchObject({ clustersWithExposure: 3 });
    expect(after[0].lateralExposure).not.toBeNull();
    expect((await runCli(["kpis", "--json"], { DATABASE_URL: db.url })).stderr).not.toMatch(/reevaluate/);
  });

  test("the earlier judgement stays readable until the commit, and no collection writes meanwhile", async () => {
    await collect(range(0, 4), { steady: true, judge: judgeWithRulesOne });
    const asOf = new Date(FIRST_DAY + 4 * DAY + 3_600_000);
    const oldKpis = await getKpis(db, { asOf });

    let duringWrite: Awaited<ReturnType<typeof getKpis>> | undefined;
    let collectionDuring: unknown;
    await reevaluateStore(db, {
      config,
      actor: "test",
      onProgress: async (event) => {
        if (event.type !== "writing" || event.step !== "cleanup") return;
        // Snapshots, intervals and findings are rewritten inside the transaction; other connections see none of it.
        duringWrite = await getKpis(db, { asOf });
        collectionDuring = await runCollection(db, { source: dayOf(5, { steady: true }), capturedAt: dayAt(5), config }).catch((error: unknown) => error);
      },
    });
    expect(duringWrite).toEqual(oldKpis);
    expect(collectionDuring).toMatchObject({ code: "busy" });
    expect(await getKpis(db, { asOf })).not.toEqual(oldKpis);
  });

  test("a re-evaluation killed half way leaves the earlier judgement in place, and the next one goes on from where it stopped", async () => {
    // Many distinct documents: each cluster's objects differ from day to day.
    const names = Array.from({ length: 12 }, (_, index) => `c${index}`);
    for (const index of range(0, 9)) {
      const source = scriptedSource(
        { [SUB_A]: names.map((name) => makeCluster({ name, owner: "team-a", production: true })) },
        Object.fromEntries(names.map((name, clusterIndex) => [name, (index + clusterIndex) % 3 === 0 ? objects(DENY_INGRESS, DENY_EGRESS_BUT_DNS, policy(`extra-${index}`, { podSelector: { matchLabels: { app: `a${index}` } }, policyTypes: ["Ingress"] })) : objects(DENY_ALL, DENY_EGRESS_BUT_DNS, policy(`extra-${index}`, { podSelector: { matchLabels: { app: `b${index}` } }, policyTypes: ["Ingress"] }))])),
      );
      await runCollection(db, { source, capturedAt: dayAt(index), config });
    }
    const written = await derivedState();
    await reevaluateStore(db, { config, actor: "test", judge: judgeWithRulesOne });
    const old = await derivedState();

    // `bulkhead reevaluate` in its own process, judging one document per batch, killed once some are committed.
    const child = spawn(process.execPath, [path.join(findProjectRoot(), "bin", "bulkhead.mjs"), "reevaluate", "--batch", "1"], {
      env: { ...process.env, DATABASE_URL: db.url, NO_COLOR: "1" },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let done = 0;
    for (let attempt = 0; attempt < 600 && done < 5; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const { rows } = await db.pool.query<{ done: number }>(`SELECT documents_done AS done FROM reevaluations WHERE status = 'running' ORDER BY id DESC LIMIT 1`);
      done = rows[0]?.done ?? 0;
    }
    child.kill("SIGKILL");
    await exited;
    expect(done).toBeGreaterThanOrEqual(5);

    // The killed process's server session ends (and lets go of the run slot) when Postgres notices the closed connection.
    let status = await readRulesStatus(db.pool, RUN_LOCK_KEY);
    for (let attempt = 0; attempt < 100 && !status.latest?.interrupted; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await readRulesStatus(db.pool, RUN_LOCK_KEY);
    }
    expect(status.latest).toMatchObject({ status: "running", interrupted: true, phase: "judging" });
    expect(status.latest!.documentsDone).toBeLessThan(status.latest!.documentsTotal);
    expect(await derivedState()).toEqual(old);

    const progress: ReevaluateProgress[] = [];
    const result = await reevaluateStore(db, { config, actor: "test", onProgress: (event) => void progress.push(event) });
    expect(result.reevaluationId).toBe(status.latest!.id);
    expect(result.resumedFrom).toBeGreaterThanOrEqual(status.latest!.documentsDone);
    const firstJudging = progress.find((event) => event.type === "judging") as Extract<ReevaluateProgress, { type: "judging" }>;
    expect(firstJudging.done).toBe(result.resumedFrom);
    expect(firstJudging.total).toBe(result.documents);
    expect(await derivedState()).toEqual(written);
  });

  test("a re-evaluation under another configuration does not resume one it cannot continue", async () => {
    await collect(range(0, 2));
    await db.pool.query(`INSERT INTO reevaluations (rules_version, config_hash, started_by, status) VALUES ($1, 'another-configuration', 'test', 'running')`, [RULES_VERSION]);
    const result = await reevaluateStore(db, { config, actor: "test" });
    expect(result.resumedFrom).toBeNull();
    const { rows } = await db.pool.query<{ status: string }>(`SELECT status FROM reevaluations ORDER BY id`);
    expect(rows.map((row) => row.status)).toEqual(["abandoned", "completed"]);
  });
});
