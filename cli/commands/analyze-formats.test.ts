import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { parse as parseJunit } from "junit2json";
import { describe, expect, test } from "vitest";

import { runAnalyzeInProcess, temporaryDirectoryPerFile, type AnalyzeRun } from "@/testing/run-analyze";

const IAC = fileURLToPath(new URL("../../testing/fixtures/iac/", import.meta.url));
/** Microsoft's SARIF SDK Multitool: its schema file, and its validator (the one the SARIF editors maintain). */
const MULTITOOL = createRequire(import.meta.url)("@microsoft/sarif-multitool") as string;
const SARIF_SCHEMA = join(dirname(MULTITOOL), "sarif-2.1.0.json");

const temporary = temporaryDirectoryPerFile("bulkhead-analyze-formats-");

function analyze(args: string[], now = new Date("2027-01-15T12:00:00Z")): Promise<AnalyzeRun> {
  return runAnalyzeInProcess(args, { cwd: temporary(), now: () => now });
}

async function file(name: string, content: string): Promise<string> {
  const path = join(temporary(), name);
  await writeFile(path, content);
  return path;
}

/** Three namespaces: shop denies both ways but has an allow-from-world rule; web lacks everything; batch denies egress and blocks DNS. */
const ESTATE = `apiVersion: v1
kind: Namespace
metadata:
  name: web
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: public
  namespace: shop
spec:
  podSelector:
    matchLabels: { app: storefront }
  policyTypes: [Ingress]
  ingress:
    - ports: [{ port: 8080 }]
    - from:
        - ipBlock: { cidr: 0.0.0.0/0 }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
  namespace: batch
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;

interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn?: number } } }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; status: string; justification: string }[];
}

function resultsOf(sarif: string): SarifResult[] {
  return JSON.parse(sarif).runs[0].results;
}

function validateSchema(sarif: unknown): string[] {
  return readFile(SARIF_SCHEMA, "utf8").then((text) => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(text));
    return validate(sarif) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  }) as unknown as string[];
}

/** Runs the Multitool's `validate` and returns the errors it reports (its warnings are advice). */
function multitoolErrors(path: string): Promise<string[]> {
  const out = `${path}.validation.sarif`;
  return new Promise((resolve, reject) => {
    execFile(MULTITOOL, ["validate", path, "--output", out, "--log", "ForceOverwrite"], { env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1" } }, async (error) => {
      if (error && typeof error.code !== "number") return reject(error);
      const log = JSON.parse(await readFile(out, "utf8"));
      const results: { level?: string; ruleId: string; message: { text?: string; arguments?: string[] } }[] = log.runs.flatMap((run: { results?: unknown[] }) => run.results ?? []);
      resolve(results.filter((result) => result.level === "error").map((result) => `${result.ruleId}: ${result.message.text ?? result.message.arguments?.join(" ")}`));
    });
  });
}

describe("--format sarif", () => {
  test("SARIF 2.1.0 that the official schema and Microsoft's validator accept; one result per failing namespace control and allow-any rule", async () => {
    const input = await file("estate.yaml", ESTATE);
    const json = JSON.parse((await analyze([input, "--json"])).stdout);
    const run = await analyze([input, "--format", "sarif"]);
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout);
    expect(await validateSchema(sarif)).toEqual([]);
    const path = await file("estate.sarif", run.stdout);
    expect(await multitoolErrors(path)).toEqual([]);

    const results = resultsOf(run.stdout);
    const byRule = (id: string) => results.filter((result) => result.ruleId === id);
    // web lacks both; batch and shop deny egress and block DNS; web reaches IMDS (no egress deny); one allow-any rule in shop.
    expect(byRule("NP-02").map((result) => result.message.text)).toEqual([expect.stringContaining("Namespace web has no default deny for ingress")]);
    expect(byRule("NP-03")).toHaveLength(1);
    expect(byRule("NP-04").map((result) => result.message.text)).toEqual([
      expect.stringContaining("Namespace batch denies egress by default without allowing DNS"),
      expect.stringContaining("Namespace shop denies egress by default without allowing DNS"),
    ]);
    expect(byRule("NP-05").map((result) => result.message.text)).toEqual([expect.stringContaining("Pods of namespace web can reach the instance metadata service")]);
    expect(byRule("NP-06")).toHaveLength(json.allowAnyRules.length);
    expect(results).toHaveLength(6);

    // One rule per control, with help that carries the remediation Bulkhead writes.
    const rules = sarif.runs[0].tool.driver.rules as { id: string; help: { text: string; markdown: string }; properties: Record<string, unknown>; defaultConfiguration: { level: string } }[];
    expect(rules.map((rule) => rule.id)).toEqual(["NP-01", "NP-02", "NP-03", "NP-04", "NP-05", "NP-06"]);
    expect(rules[0]?.help.text).toContain("az aks update");
    expect(rules[0]?.help.markdown).toContain("```hcl");
    expect(rules[1]?.help.text).toContain("  policyTypes:\n    - Ingress");
    expect(rules[3]?.help.text).toContain("k8s-app: kube-dns");
    expect(rules[5]?.help.text).toContain("Class B: admits every address outside the cluster");
    expect(rules.map((rule) => [rule.id, rule.defaultConfiguration.level, rule.properties["security-severity"]])).toEqual([
      ["NP-01", "error", "9.0"],
      ["NP-02", "error", "7.5"],
      ["NP-03", "warning", "5.0"],
      ["NP-04", "warning", "5.0"],
      ["NP-05", "error", "7.5"],
      ["NP-06", "error", "7.5"],
    ]);

    // File, line and column: the rule at `- from:` (line 26, column 7), the namespace at its Namespace's name.
    const rule = byRule("NP-06")[0] as SarifResult;
    expect(rule.level).toBe("error");
    expect(rule.locations[0]?.physicalLocation).toEqual({ artifactLocation: { uri: "estate.yaml", uriBaseId: "%SRCROOT%" }, region: { startLine: 26, startColumn: 7 } });
    expect(byRule("NP-02")[0]?.locations[0]?.physicalLocation.region).toEqual({ startLine: 4, startColumn: 9 });
  });

  test("fingerprints are stable when lines move and differ between findings", async () => {
    const first = resultsOf((await analyze([await file("moved.yaml", ESTATE), "--format", "sarif"])).stdout);
    const moved = resultsOf((await analyze([await file("moved.yaml", `# a comment\n# another\n${ESTATE}`), "--format", "sarif"])).stdout);
    const fingerprints = (results: SarifResult[]) => results.map((result) => result.partialFingerprints["bulkheadCheck/v1"]);
    expect(fingerprints(moved)).toEqual(fingerprints(first));
    expect(new Set(fingerprints(first)).size).toBe(first.length);
    expect(moved.map((result) => result.locations[0]?.physicalLocation.region?.startLine)).toEqual(first.map((result) => (result.locations[0]?.physicalLocation.region?.startLine ?? 0) + 2));
  });

  test("Terraform plan: NP-01 located at network_policy, advisories as notes; the schema and the validator accept it", async () => {
    const run = await analyze([`${IAC}terraform-no-engine.plan.json`, `${IAC}terraform-modules.plan.json`, "--format", "sarif"]);
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout);
    expect(await validateSchema(sarif)).toEqual([]);
    expect(await multitoolErrors(await file("iac.sarif", run.stdout))).toEqual([]);
    const results = resultsOf(run.stdout);
    const engine = results.find((result) => result.ruleId === "NP-01") as SarifResult;
    expect(engine.message.text).toContain("No network policy engine is enabled");
    expect(engine.locations[0]?.physicalLocation.artifactLocation.uri).toMatch(/^file:\/\/.*terraform-no-engine\.plan\.json$/);
    expect(engine.locations[0]?.physicalLocation.region?.startLine).toBe(1);
    expect(results.filter((result) => result.ruleId === "npm-windows").map((result) => result.level)).toEqual(["warning"]);
    expect(results.filter((result) => result.ruleId === "kubenet-retirement").map((result) => result.level)).toEqual(["note"]);
  });
});

describe("--format junit", () => {
  test("one test case per namespace and control, read back by a JUnit parser", async () => {
    const run = await analyze([await file("junit.yaml", ESTATE), "--format", "junit"]);
    expect(run.code).toBe(1);
    const report = await parseJunit(run.stdout);
    expect(report).toBeDefined();
    const suites = (report as { testsuite: { name: string; tests: number; failures: number; skipped: number; testcase: { name: string; failure?: { message: string }[]; skipped?: { message: string }[] }[] }[] }).testsuite;
    expect(suites.map((suite) => suite.name)).toEqual(["namespace batch", "namespace shop", "namespace web"]);
    for (const suite of suites) expect(suite.testcase.map((testcase) => testcase.name)).toEqual(["NP-02 default-deny-ingress", "NP-03 default-deny-egress", "NP-04 dns-egress-allowed", "NP-05 imds-egress-blocked", "NP-06 no-allow-any-rules"]);
    const outcome = (suite: string, control: string) => {
      const testcase = suites.find((entry) => entry.name === suite)?.testcase.find((entry) => entry.name.startsWith(control));
      return testcase?.failure ? "failure" : testcase?.skipped ? "skipped" : "pass";
    };
    expect(["NP-02", "NP-03", "NP-04", "NP-05", "NP-06"].map((control) => outcome("namespace web", control))).toEqual(["failure", "failure", "skipped", "failure", "pass"]);
    expect(["NP-02", "NP-03", "NP-04", "NP-05", "NP-06"].map((control) => outcome("namespace batch", control))).toEqual(["pass", "pass", "failure", "pass", "pass"]);
    expect(["NP-02", "NP-03", "NP-04", "NP-05", "NP-06"].map((control) => outcome("namespace shop", control))).toEqual(["pass", "pass", "failure", "pass", "failure"]);
    expect(run.stdout).toMatch(/<testsuites name="bulkhead analyze" tests="15" failures="6" errors="0" skipped="1" time="0">/);
    expect(run.stdout).toContain('file="junit.yaml"');
  });
});

describe("--fail-on", () => {
  test("only the named controls decide the exit status; the rest is still reported", async () => {
    const input = await file("fail-on.yaml", ESTATE);
    expect((await analyze([input])).code).toBe(1);
    const dns = await analyze([input, "--fail-on", "NP-04"]);
    expect(dns.code).toBe(1);
    expect(dns.stdout).toContain("DNS allowed");
    expect(dns.stdout.trimEnd().split("\n").at(-1)).toBe("FAIL: 2 namespaces deny egress without allowing DNS (batch, shop).");
    const onlyRules = await analyze([await file("only-ingress.yaml", ESTATE.split("---\n").slice(1).join("---\n")), "--fail-on", "NP-02"]);
    expect(onlyRules.code).toBe(0);
    expect(onlyRules.stdout.trimEnd().split("\n").at(-1)).toBe("PASS: nothing that --fail-on names fails; failing but not gating: NP-04, NP-06.");
    const none = await analyze([input, "--fail-on", "none", "--format", "sarif"]);
    expect(none.code).toBe(0);
    expect(resultsOf(none.stdout).every((result) => result.message.text.endsWith("[not gating: --fail-on leaves it out]"))).toBe(true);
    expect((await analyze([input, "--fail-on", "allow-any"])).code).toBe(1);
    const wrong = await analyze([input, "--fail-on", "NP-02,NP-9"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe('bulkhead analyze: --fail-on "NP-9" is not one of NP-01, NP-02, NP-03, NP-04, NP-05, NP-06, allow-any, none\n');
  });

  test("--output writes the report and prints the table; --json stays the documented shape", async () => {
    const input = await file("output.yaml", ESTATE);
    const out = join(temporary(), "report.sarif");
    const run = await analyze([input, "--format", "sarif", "--output", out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Namespaces (3)");
    expect(resultsOf(await readFile(out, "utf8"))).toHaveLength(6);
    expect(Object.keys(JSON.parse((await analyze([input, "--json"])).stdout))).toEqual(["namespaces", "allowAnyRules"]);
    expect((await analyze([input, "--json", "--format", "sarif"])).stderr).toBe("bulkhead analyze: --json and --format sarif cannot be used together (--json is --format json)\n");
    const unknown = await analyze([input, "--format", "xml"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('bulkhead analyze: --format "xml" is not one of table, json, sarif, junit\n');
    const connections = await analyze([input, "--connectivity", "--format", "sarif"]);
    expect(connections.code).toBe(2);
    expect(connections.stderr).toBe("bulkhead analyze: --format sarif reports the checks; --connectivity prints connections (as a table or JSON): run them as two commands\n");
  });
});

const EXCEPTIONS = `exceptions:
  - control: NP-02
    namespace: web
    reason: Public marketing site behind Front Door; ingress policy in PLAT-412.
    owner: web-team@example.com
    expires: 2027-03-31
  - rule: { namespace: shop, policy: public, direction: ingress, index: 1 }
    reason: Storefront is internet-facing by design; WAF in front.
    owner: shop-team@example.com
    expires: 2027-06-30
  - control: NP-03
    namespace: web
    reason: Egress to 40 partner APIs; FQDN policy planned for Q2.
    owner: web-team@example.com
    expires: 2027-01-01
  - control: NP-02
    namespace: gone
    reason: The namespace was removed last sprint but the entry stayed.
    owner: platform@example.com
    expires: 2027-12-31
`;

describe("--exceptions", () => {
  test("an exception covers its finding until it expires; expired and unmatched ones are reported, and fail with --strict-exceptions", async () => {
    const input = await file("exceptions-estate.yaml", ESTATE);
    const exceptions = await file("exceptions.yaml", EXCEPTIONS);
    const run = await analyze([input, "--exceptions", exceptions]);
    // web's NP-03 exception expired (2027-01-01 < 2027-01-15): it still fails.
    expect(run.code).toBe(1);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("FAIL: 1 of 3 namespaces lacks a default deny (web) (2 findings excepted).");
    expect(run.stderr).toBe(
      `bulkhead analyze: warning: ${exceptions}: exceptions[2] (line 11, NP-03 in web) expired on 2027-01-01 and no longer applies\n` +
        `bulkhead analyze: warning: ${exceptions}: exceptions[3] (line 16, NP-02 in gone) matches nothing that fails; remove it\n`,
    );
    expect(run.stdout).toMatch(/│ web {7}│ no \(excepted\) {8}│ no {18}│/);

    const json = JSON.parse((await analyze([input, "--exceptions", exceptions, "--json"])).stdout);
    expect(json.namespaces.find((namespace: { name: string }) => namespace.name === "web").exceptions).toEqual({
      "NP-02": { index: 0, reason: "Public marketing site behind Front Door; ingress policy in PLAT-412.", owner: "web-team@example.com", expires: "2027-03-31" },
    });
    expect(json.allowAnyRules[0].exception.owner).toBe("shop-team@example.com");
    expect(json.exceptions.map((entry: { status: string }) => entry.status)).toEqual(["applied", "applied", "expired", "unmatched"]);

    const sarif = resultsOf((await analyze([input, "--exceptions", exceptions, "--format", "sarif"])).stdout);
    expect(sarif.filter((result) => result.suppressions).map((result) => [result.ruleId, result.suppressions?.[0]?.status])).toEqual([
      ["NP-02", "accepted"],
      ["NP-06", "accepted"],
    ]);

    // Before the NP-03 exception expired, only the unmatched one is left: it passes, unless strict.
    const earlier = await analyze([input, "--exceptions", exceptions, "--fail-on", "NP-02,NP-03,NP-06"], new Date("2026-12-01T00:00:00Z"));
    expect(earlier.code).toBe(0);
    const strict = await analyze([input, "--exceptions", exceptions, "--fail-on", "NP-02,NP-03,NP-06", "--strict-exceptions"], new Date("2026-12-01T00:00:00Z"));
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("error: ");
  });

  test.each([
    ["exceptions: [{ control: NP-02, namespace: web, owner: a@b.c, expires: 2027-01-01 }]\n", "exceptions[0].reason (line 1): must say why"],
    ["exceptions:\n  - control: NP-02\n    reason: Legacy namespace, tracked in PLAT-1.\n    owner: a@b.c\n    expires: 31/12/2027\n", "exceptions[0].expires (line 5): must be a date (YYYY-MM-DD)"],
    ["exceptions:\n  - control: NP-09\n    reason: Legacy namespace, tracked in PLAT-1.\n    owner: a@b.c\n    expires: 2027-12-31\n", "exceptions[0].control (line 2): must be one of NP-01, NP-02, NP-03, NP-04, NP-05, NP-06 (NP-07 is not judged per namespace or rule)"],
    ["exceptions:\n  - controll: NP-02\n    reason: Legacy namespace, tracked in PLAT-1.\n    owner: a@b.c\n    expires: 2027-12-31\n", "exceptions[0] (line 2): unknown field: controll (allowed: control, namespace, cluster, rule, reason, owner, expires)"],
    ["exceptions:\n  - rule: { policy: open, index: -1 }\n    reason: Legacy namespace, tracked in PLAT-1.\n    owner: a@b.c\n    expires: 2027-12-31\n", "exceptions[0].rule.index (line 2): must be 0 or more"],
    ["exceptions: {}\n", "exceptions (line 1): must be a list of exceptions"],
    ["exceptions:\n  - control: NP-02\n  control: x\n", "line 3:"],
  ])("a wrong exceptions file stops the run (exit 2) naming the file, the entry, the field and the line: %#", async (content, message) => {
    const exceptions = await file("wrong-exceptions.yaml", content);
    const run = await analyze([await file("any.yaml", ESTATE), "--exceptions", exceptions]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`bulkhead analyze: ${exceptions}: ${message}`);
  });
});

describe("infrastructure as code", () => {
  test.each([
    ["terraform-cilium.plan.json", 0, { "NP-01": "pass", "NP-05": "n/a" }],
    ["terraform-no-engine.plan.json", 1, { "NP-01": "fail", "NP-05": "fail" }],
    ["terraform-unknown.plan.json", 1, { "NP-01": "unknown", "NP-05": "unknown" }],
    ["arm-cilium.json", 0, { "NP-01": "pass", "NP-05": "pass" }],
    ["arm-unknown.json", 1, { "NP-01": "unknown", "NP-05": "unknown" }],
    ["arm-choice.json", 1, { "NP-01": "unknown", "NP-05": "unknown" }],
    ["arm-bicep-module.json", 1, { "NP-01": "fail", "NP-05": "fail" }],
  ])("%s: exit %i, %o", async (name, code, statuses) => {
    const run = await analyze([`${IAC}${name}`, "--json"]);
    expect(run.code).toBe(code);
    const clusters = JSON.parse(run.stdout).clusters as { checks: { control: string; status: string }[] }[];
    expect(clusters).toHaveLength(1);
    expect(Object.fromEntries(clusters[0]?.checks.map((check) => [check.control, check.status]) ?? [])).toEqual(statuses);
  });

  test("a module's cluster, its Windows node pool (found through the configuration) and an azapi cluster with podLinkLocalAccess None", async () => {
    const json = JSON.parse((await analyze([`${IAC}terraform-modules.plan.json`, "--json"])).stdout);
    expect(json.clusters.map((cluster: { name: string; checks: { status: string }[]; advisories: { id: string }[] }) => [cluster.name, cluster.checks.map((check) => check.status), cluster.advisories.map((advisory) => advisory.id)])).toEqual([
      ["module.aks.azurerm_kubernetes_cluster.this", ["pass", "n/a"], ["npm-windows", "npm-retirement"]],
      ["azapi_resource.aks", ["pass", "pass"], []],
    ]);
  });

  test("an exception can accept a declared cluster's NP-01 by name", async () => {
    const exceptions = await file(
      "iac-exceptions.yaml",
      "exceptions:\n  - control: NP-01\n    cluster: aks-legacy\n    reason: Decommissioned in March; no new workloads are scheduled.\n    owner: platform@example.com\n    expires: 2027-03-01\n",
    );
    const run = await analyze([`${IAC}terraform-no-engine.plan.json`, "--exceptions", exceptions]);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("PASS: nothing that --fail-on names fails (1 finding excepted); failing but not gating: NP-05.");
  });
});
