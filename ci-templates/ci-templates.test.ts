// The GitHub Action (action.yml) and the Azure Pipelines template (ci-templates/azure-pipelines.yml)
// run here as their runners would run them: each script step is taken from the YAML as written and
// run with bash, with the runner's variables and the step's env (expressions worked out), in a fixture
// repository with a base branch and a pull request. Steps that call other actions or tasks (set up
// Node, upload SARIF, publish test results) are not run; the files they would publish are checked.

import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { parse as parseJunit } from "junit2json";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";

import { temporaryDirectoryPerFile } from "@/testing/run-analyze";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const temporary = temporaryDirectoryPerFile("bulkhead-ci-templates-");

interface Exec {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Exec> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function git(cwd: string, ...args: string[]): Promise<void> {
  const result = await exec("git", ["-c", "user.name=ci", "-c", "user.email=ci@example.com", "-c", "init.defaultBranch=main", ...args], { cwd });
  if (result.code !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
}

const SHOP = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  template:
    metadata:
      labels: { app: web }
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
  name: allow-dns
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }
          podSelector: { matchLabels: { k8s-app: kube-dns } }
      ports: [{ protocol: UDP, port: 53 }, { protocol: TCP, port: 53 }]
`;

const PULL_REQUESTS: Record<string, { files: Record<string, string>; exit: number; expectInLog: RegExp[]; sarifRules: string[] }> = {
  "adds a namespace without default deny": {
    files: { "k8s/orders.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: orders\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: orders\nspec:\n  template:\n    metadata:\n      labels: { app: api }\n" },
    exit: 1,
    expectInLog: [/Connections added \(\d+\)/, /\+ outside the cluster → orders\/app=api on .* \[from outside\]/],
    sarifRules: ["NP-02", "NP-03", "NP-05"],
  },
  "adds an allow-from-world rule": {
    files: {
      "k8s/shop.yaml": `${SHOP}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: public-web\n  namespace: shop\nspec:\n  podSelector: { matchLabels: { app: web } }\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - ipBlock: { cidr: 0.0.0.0/0 }\n`,
    },
    exit: 1,
    expectInLog: [/Connections added \(1\)/, /\+ outside the cluster → shop\/app=web .*\[from outside\]/],
    // The web pods (a known pod class) no longer deny ingress by default either (docs/rules-v2.md).
    sarifRules: ["NP-02", "NP-06"],
  },
  "changes nothing that matters": {
    files: { "k8s/shop.yaml": SHOP.replace("replicas: 2", "replicas: 3") },
    exit: 0,
    expectInLog: [/Connections added \(0\)/, /PASS: the change adds no reachability/],
    sarifRules: [],
  },
};

/** A repository with `main` (the shop, segmented) on an origin, cloned and moved to a pull request's branch. */
async function fixtureRepository(name: string, files: Record<string, string>): Promise<string> {
  const origin = join(temporary(), `${name}-origin.git`);
  const seed = join(temporary(), `${name}-seed`);
  const clone = join(temporary(), `${name}-workspace`);
  await mkdir(join(seed, "k8s"), { recursive: true });
  await git(temporary(), "init", "--bare", origin);
  await git(seed, "init");
  await writeFile(join(seed, "k8s", "shop.yaml"), SHOP);
  await writeFile(join(seed, "k8s", "README.md"), "The shop's manifests.\n");
  await git(seed, "add", "-A");
  await git(seed, "commit", "-m", "shop");
  await git(seed, "push", origin, "HEAD:main");
  await git(temporary(), "clone", "--quiet", origin, clone);
  await git(clone, "checkout", "-b", "pull-request");
  for (const [path, content] of Object.entries(files)) await writeFile(join(clone, path), content);
  await git(clone, "add", "-A");
  await git(clone, "commit", "-m", "the change");
  return clone;
}

type Expressions = (expression: string) => string;

/** `${{ ... }}` (and Azure's `$(...)` macros) in a value, worked out; an expression the runner would need and we do not know fails the test. */
function substitute(value: unknown, evaluate: Expressions, macros?: Expressions): string {
  let text = String(value ?? "");
  text = text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => evaluate(expression));
  if (macros) text = text.replace(/\$\(([A-Za-z0-9_.]+)\)/g, (_, name: string) => macros(name));
  return text;
}

interface StepRun {
  name: string;
  code: number;
  stdout: string;
  stderr: string;
}

async function runScript(script: string, shellArgs: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Exec> {
  const file = join(temporary(), `step-${Math.random().toString(36).slice(2)}.sh`);
  await writeFile(file, script);
  return exec("bash", [...shellArgs, file], { cwd, env });
}

/** Runs action.yml's steps as a GitHub runner would on a pull_request event. */
async function runGithubAction(workspace: string): Promise<{ steps: StepRun[]; code: number; summary: string; sarifFile: string | null }> {
  const action = parse(await readFile(join(ROOT, "action.yml"), "utf8")) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; steps: { name: string; id?: string; uses?: string; run?: string; shell?: string; env?: Record<string, string>; with?: Record<string, string>; "working-directory"?: string }[] };
  };
  expect(action.runs.using).toBe("composite");
  const runnerTemp = await mkdtemp(join(temporary(), "runner-"));
  const summaryFile = join(runnerTemp, "summary.md");
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? ""]));
  const outputs: Record<string, Record<string, string>> = {};
  const evaluate: Expressions = (expression) => {
    const [scope, ...rest] = expression.split(".");
    const name = rest.join(".");
    if (scope === "inputs" && name in inputs) return inputs[name] as string;
    if (expression === "github.action_path") return ROOT.replace(/\/$/, "");
    if (expression === "github.workspace") return workspace;
    if (expression === "runner.temp") return runnerTemp;
    const step = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (step) return outputs[step[1] as string]?.[step[2] as string] ?? "";
    throw new Error(`the test runner does not know the expression ${expression}`);
  };
  const steps: StepRun[] = [];
  let sarifFile: string | null = null;
  for (const step of action.runs.steps) {
    if (step.uses) {
      if (step.uses.startsWith("github/codeql-action/upload-sarif")) sarifFile = join(workspace, substitute(step.with?.sarif_file, evaluate));
      else expect(step.uses).toMatch(/^actions\/setup-node@/);
      continue;
    }
    expect(step.shell).toBe("bash");
    const outputFile = join(runnerTemp, `output-${steps.length}`);
    await writeFile(outputFile, "");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NO_COLOR: "1",
      GITHUB_ACTIONS: "true",
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_BASE_REF: "main",
      GITHUB_HEAD_REF: "pull-request",
      GITHUB_WORKSPACE: workspace,
      GITHUB_ACTION_PATH: ROOT.replace(/\/$/, ""),
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: runnerTemp,
    };
    for (const [key, value] of Object.entries(step.env ?? {})) env[key] = substitute(value, evaluate);
    const cwd = step["working-directory"] ? substitute(step["working-directory"], evaluate) : workspace;
    // GitHub runs `shell: bash` as `bash --noprofile --norc -eo pipefail {0}`.
    const result = await runScript(step.run as string, ["--noprofile", "--norc", "-eo", "pipefail"], cwd, env);
    steps.push({ name: step.name, ...result });
    if (step.id) {
      outputs[step.id] = Object.fromEntries(
        (await readFile(outputFile, "utf8"))
          .split("\n")
          .filter((line) => line.includes("="))
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      );
    }
    if (result.code !== 0) return { steps, code: result.code, summary: await readFile(summaryFile, "utf8").catch(() => ""), sarifFile };
  }
  return { steps, code: 0, summary: await readFile(summaryFile, "utf8").catch(() => ""), sarifFile };
}

/** Runs the Azure Pipelines template's steps as an agent would for a pull request build. */
async function runAzureTemplate(workspace: string): Promise<{ steps: StepRun[]; code: number; published: Record<string, string> }> {
  const template = parse(await readFile(join(ROOT, "ci-templates", "azure-pipelines.yml"), "utf8")) as {
    parameters: { name: string; type?: string; default?: unknown }[];
    steps: { bash?: string; task?: string; name?: string; displayName?: string; env?: Record<string, string>; workingDirectory?: string; condition?: string; inputs?: Record<string, string> }[];
  };
  const agentTemp = await mkdtemp(join(temporary(), "agent-"));
  const parameters: Record<string, unknown> = Object.fromEntries(template.parameters.map((parameter) => [parameter.name, parameter.default ?? ""]));
  parameters.workingDirectory = workspace;
  parameters.bulkheadDirectory = ROOT.replace(/\/$/, "");
  const variables: Record<string, string> = { "Agent.TempDirectory": agentTemp, "Build.SourcesDirectory": workspace };
  // Template expressions are worked out when the pipeline compiles; Azure renders booleans as True/False.
  const evaluate: Expressions = (expression) => {
    const match = /^parameters\.(\w+)$/.exec(expression);
    if (!match || !((match[1] as string) in parameters)) throw new Error(`the test runner does not know the expression ${expression}`);
    const value = parameters[match[1] as string];
    return typeof value === "boolean" ? (value ? "True" : "False") : String(value);
  };
  const macros: Expressions = (name) => {
    if (name in variables) return variables[name] as string;
    throw new Error(`the test runner does not know the variable $(${name})`);
  };
  const steps: StepRun[] = [];
  const published: Record<string, string> = {};
  let failed = 0;
  for (const step of template.steps) {
    if (failed !== 0 && step.condition !== "succeededOrFailed()") continue;
    if (step.task) {
      if (step.task.startsWith("PublishTestResults@")) published.junit = substitute(step.inputs?.testResultsFiles, evaluate, macros);
      else if (step.task.startsWith("PublishBuildArtifacts@")) published[step.inputs?.ArtifactName as string] = substitute(step.inputs?.PathtoPublish, evaluate, macros);
      else expect(step.task).toMatch(/^UseNode@/);
      continue;
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NO_COLOR: "1",
      TF_BUILD: "True",
      BUILD_REASON: "PullRequest",
      SYSTEM_PULLREQUEST_TARGETBRANCH: "refs/heads/main",
      SYSTEM_PULLREQUEST_SOURCEBRANCH: "refs/heads/pull-request",
      AGENT_TEMPDIRECTORY: agentTemp,
      BUILD_SOURCESDIRECTORY: workspace,
    };
    for (const [key, value] of Object.entries(step.env ?? {})) env[key] = substitute(value, evaluate, macros);
    const cwd = step.workingDirectory ? substitute(step.workingDirectory, evaluate, macros) : workspace;
    // The Bash task runs the script with `bash --noprofile --norc`.
    const result = await runScript(substitute(step.bash, evaluate), ["--noprofile", "--norc"], cwd, env);
    steps.push({ name: step.displayName ?? step.name ?? "", ...result });
    for (const match of result.stdout.matchAll(/##vso\[task\.setvariable variable=(\w+);isOutput=true\](.*)/g)) variables[`${step.name}.${match[1]}`] = match[2] as string;
    if (result.code !== 0) failed = result.code;
  }
  return { steps, code: failed, published };
}

describe.each(Object.entries(PULL_REQUESTS))("a pull request that %s", (title, pullRequest) => {
  test(`the GitHub Action exits ${pullRequest.exit}, uploads SARIF and shows the connectivity diff`, async () => {
    const workspace = await fixtureRepository(`github-${title.replace(/\W+/g, "-")}`, pullRequest.files);
    const run = await runGithubAction(workspace);
    const log = run.steps.map((step) => `${step.stdout}${step.stderr}`).join("\n");
    expect(run.code, log).toBe(pullRequest.exit);
    for (const pattern of pullRequest.expectInLog) {
      expect(log).toMatch(pattern);
      expect(run.summary).toMatch(pattern);
    }
    expect(run.sarifFile).not.toBeNull();
    const sarif = JSON.parse(await readFile(run.sarifFile as string, "utf8"));
    expect([...new Set(sarif.runs[0].results.map((result: { ruleId: string }) => result.ruleId))].sort()).toEqual(pullRequest.sarifRules);
    for (const result of sarif.runs[0].results) expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^k8s\/(shop|orders)\.yaml$/);
  });

  test(`the Azure Pipelines template exits ${pullRequest.exit}, publishes JUnit and SARIF and shows the connectivity diff`, async () => {
    const workspace = await fixtureRepository(`azure-${title.replace(/\W+/g, "-")}`, pullRequest.files);
    const run = await runAzureTemplate(workspace);
    const log = run.steps.map((step) => `${step.stdout}${step.stderr}`).join("\n");
    expect(run.code, log).toBe(pullRequest.exit);
    for (const pattern of pullRequest.expectInLog) expect(log).toMatch(pattern);
    const junit = (await parseJunit(await readFile(run.published.junit as string, "utf8"))) as { failures: number };
    expect(junit.failures > 0).toBe(pullRequest.exit !== 0 && pullRequest.sarifRules.length > 0);
    const sarif = JSON.parse(await readFile(run.published.CodeAnalysisLogs as string, "utf8"));
    expect([...new Set(sarif.runs[0].results.map((result: { ruleId: string }) => result.ruleId))].sort()).toEqual(pullRequest.sarifRules);
  });
});
