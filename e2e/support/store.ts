import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { E2E_DATA_DIR, runBulkhead } from "../fixtures";

/** The URL of the Postgres the e2e server uses: E2E_DATABASE_URL, else its embedded store's port and password. */
export async function e2eDatabaseUrl(): Promise<string> {
  if (process.env.E2E_DATABASE_URL) return process.env.E2E_DATABASE_URL;
  const dir = path.resolve(E2E_DATA_DIR);
  const pid = await readFile(path.join(dir, "pgdata", "postmaster.pid"), "utf8");
  const port = Number(pid.split("\n")[3]);
  const password = (await readFile(path.join(dir, "pg-password"), "utf8")).trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/bulkhead`;
}

/** Runs e2e/support/findings-store.ts (the app's own functions) against the e2e store; its JSON answer. */
export async function runFindingsStore<T>(args: string[]): Promise<T> {
  const url = await e2eDatabaseUrl();
  return new Promise<T>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", path.resolve("bin/register.mjs"), path.resolve("e2e/support/findings-store.ts"), ...args],
      { env: { ...process.env, DATABASE_URL: url, NO_COLOR: "1" } },
      (error, stdout, stderr) => (error ? reject(new Error(`findings-store ${args.join(" ")} failed: ${stderr || error.message}`)) : resolve(JSON.parse(stdout) as T)),
    );
  });
}

export interface PickedFinding {
  id: number;
  controlId: string;
  clusterName: string;
  lastRunAt: string;
}

/** An open, never-waived finding whose control fails now (so a waiver moves the KPIs). */
export function pickFailingFinding(options: { exclude?: number[]; offset?: number } = {}): Promise<PickedFinding> {
  return runFindingsStore<PickedFinding>(["pick", "--exclude", (options.exclude ?? []).join(","), "--offset", String(options.offset ?? 0)]);
}

export interface KpiGroup {
  clusters: number;
  controlsPassed: number;
  controlsFailed: number;
  auditPassRate: number | null;
  openFindings: number;
}

/** `bulkhead kpis --json` over the whole estate (DESIGN.md §6), at `asOf` or now. */
export async function readKpis(asOf?: string): Promise<KpiGroup> {
  const result = await runBulkhead(["kpis", "--json", ...(asOf ? ["--as-of", asOf] : [])]);
  if (result.code !== 0) throw new Error(`bulkhead kpis failed (${result.code}): ${result.stderr}`);
  return (JSON.parse(result.stdout) as { groups: KpiGroup[] }).groups[0];
}
