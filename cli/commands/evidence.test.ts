import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { unzipSync } from "fflate";
import Papa from "papaparse";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { createWaiver } from "@/lib/db/waivers";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A, SUB_B } from "@/testing/estate-builders";
import { runCli } from "@/testing/run-cli";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { main } from "../main";

/** The CLI in this process (a child process costs seconds each): its exit code and what it wrote on stderr. */
async function runInProcess(args: string[]): Promise<{ code: number; stderr: string }> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk));
    return true;
  });
  const before = process.env.DATABASE_URL;
  process.env.DATABASE_URL = db.url;
  try {
    process.exitCode = 0;
    await main(["node", "bulkhead", ...args]);
    return { code: Number(process.exitCode ?? 0), stderr: written.join("") };
  } finally {
    process.exitCode = 0;
    spy.mockRestore();
    if (before === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = before;
  }
}

const db = setupTestDatabase();
let work: string;
let env: Record<string, string>;

const estate = () =>
  scriptedSource(
    {
      [SUB_A]: [makeCluster({ name: "pay-prod", owner: "payments", production: true }), makeCluster({ name: "pay-dev", owner: "payments", production: false, networkPolicy: "none" })],
      [SUB_B]: [makeCluster({ subscription: SUB_B, name: "web-prod", owner: "web", production: true })],
    },
    { "pay-prod": makeInCluster({ allowAnyIngress: true }), "web-prod": makeInCluster() },
  );

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "bulkhead-evidence-"));
  env = { DATABASE_URL: db.url };
  for (const day of ["01", "02", "03"]) await runCollection(db, { source: estate(), capturedAt: at(`2026-02-${day}T06:00:00Z`), config: DEFAULT_POSTURE_CONFIG });
  const finding = await db.prisma.finding.findFirstOrThrow({ where: { controlId: "NP-06", cluster: { name: "pay-prod" } } });
  await createWaiver(db, { findingId: finding.id, reason: "vendor appliance until the March migration", expiresAt: at("2026-03-01T00:00:00Z"), actor: "ciso@example.com", at: at("2026-02-02T08:00:00Z") });
}, 120_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "bulkhead.mjs");

describe("bulkhead evidence", () => {
  test("writes the pack, prints its figures, and the same request gives the same bytes", async () => {
    const out = path.join(work, "pci.zip");
    const first = await runCli(["evidence", "--framework", "pci-dss", "--as-of", "2026-02-02", "--out", out], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`Wrote ${out}`);
    expect(first.stderr).toMatch(/PCI DSS v4\.0\.1 as of 2026-02-02T23:59:59\.999Z; all subscriptions and owners/);
    expect(first.stderr).toMatch(/3 clusters; audit pass rate [\d.]+% \(\d+ passed, \d+ failed, 1 waived\)/);
    expect(first.stderr).toMatch(/1\.2\.5 +partly +[\d.]+% +\(\d+ pass, \d+ fail, 1 waived, \d+ n\/a\)/);
    const bytes = await readFile(out);
    const files = unzipSync(new Uint8Array(bytes));
    const folder = "bulkhead-evidence-pci-dss-2026-02-02";
    const csv = Papa.parse<Record<string, string>>(new TextDecoder().decode(files[`${folder}/clusters.csv`]), { header: true, skipEmptyLines: true });
    const payProd = csv.data.find((row) => row.cluster === "pay-prod");
    expect(payProd).toMatchObject({ "NP-06": "waived", "requirement 1.2.5": "waived", owner: "payments", production: "yes" });
    expect(payProd?.waived_controls).toBe("NP-06: vendor appliance until the March migration (ciso@example.com, until 2026-03-01T00:00:00.000Z)");
    expect(csv.data.find((row) => row.cluster === "pay-dev")).toMatchObject({ "NP-01": "fail", "requirement 1.3.1": "fail" });

    const again = await runCli(["evidence", "--framework", "pci-dss", "--as-of", "2026-02-02", "--out", out, "--force"], env);
    expect(again.code, again.stderr).toBe(0);
    expect((await readFile(out)).equals(bytes)).toBe(true);
  });

  test("scope and breakdown: --owner, --production, --subscription and --by name the pack and narrow it", async () => {
    const out = path.join(work, "scoped.zip");
    const result = await runCli(["evidence", "--framework", "nist-800-53", "--as-of", "2026-02-03T12:00:00Z", "--production", "--subscription", SUB_A.toUpperCase(), "--owner", "payments", "--by", "owner", "--out", out], env);
    expect(result.code, result.stderr).toBe(0);
    const [name] = Object.keys(unzipSync(new Uint8Array(await readFile(out))));
    expect(name).toBe(`bulkhead-evidence-nist-800-53-2026-02-03-sub-${SUB_A.slice(0, 8)}-owner-payments-production-by-owner/README.txt`);
    const manifest = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(await readFile(out)))[name.replace("README.txt", "manifest.json")]));
    expect(manifest).toMatchObject({ asOf: "2026-02-03T12:00:00.000Z", clusters: 1, scope: { subscription: SUB_A, owner: "payments", productionOnly: true, by: "owner" } });
  });

  test("--out - writes the ZIP to standard output", async () => {
    const stdout = await new Promise<Buffer>((resolve, reject) =>
      execFile(process.execPath, [BIN, "evidence", "--framework", "hipaa", "--as-of", "2026-02-01", "--out", "-"], { env: { ...process.env, ...env }, encoding: "buffer", maxBuffer: 64 * 1024 * 1024 }, (error, out) =>
        error ? reject(error) : resolve(out),
      ),
    );
    expect(Object.keys(unzipSync(new Uint8Array(stdout)))).toContain("bulkhead-evidence-hipaa-2026-02-01/manifest.json");
  });

  test.each([
    [["--framework", "pci", "--as-of", "2026-02-02"], /--framework <id>' argument 'pci' is invalid\. unknown framework "pci"; known: cis-kubernetes, cis-aks, pci-dss, soc2, hipaa, nist-800-53, iso-27001/],
    [["--framework", "soc2", "--as-of", "2026-01-15"], /--as-of: 2026-01-15 is before the history, which starts on 2026-02-01/],
    [["--framework", "soc2", "--as-of", "2099-01-01"], /--as-of: 2099-01-01 is after today/],
    [["--framework", "soc2", "--as-of", "2099-01-01T00:00:00Z"], /--as-of: 2099-01-01T00:00:00\.000Z is in the future/],
    [["--framework", "soc2", "--as-of", "2026-02-31"], /--as-of <date>' argument '2026-02-31' is invalid\. "2026-02-31" is not a calendar day/],
    [["--framework", "soc2", "--as-of", "yesterday"], /--as-of <date>' argument 'yesterday' is invalid/],
    [["--framework", "soc2", "--as-of", "2026-02-02", "--subscription", "not a guid"], /--subscription <id>' argument 'not a guid' is invalid/],
    [["--framework", "soc2", "--as-of", "2026-02-02", "--by", "team"], /--by <group>' argument 'team' is invalid\. Allowed choices are owner, subscription/],
    [["--as-of", "2026-02-02"], /required option '--framework <id>' not specified/],
  ])("bad input %j exits 2 naming the option", async (args, message) => {
    const out = path.join(work, "never.zip");
    const result = await runInProcess(["evidence", ...args, "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });

  test("an --out that exists is kept as it was without --force", async () => {
    const out = path.join(work, "existing.zip");
    await writeFile(out, "an earlier pack");
    const result = await runInProcess(["evidence", "--framework", "iso-27001", "--as-of", "2026-02-02", "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--out: ${out} exists; pass --force to overwrite it`);
    expect(await readFile(out, "utf8")).toBe("an earlier pack");
  });

  test("a store failing while the pack streams leaves no file, not even the partial one, and exits non-zero", async () => {
    const out = path.join(work, "broken", "pack.zip");
    await rm(path.dirname(out), { recursive: true, force: true });
    await mkdir(path.dirname(out));
    const query = pg.Pool.prototype.query;
    let evidenceReads = 0;
    // The first read of evaluations is the PDF's (before the first byte); the second is controls.json's, mid-stream.
    const spy = vi.spyOn(pg.Pool.prototype, "query").mockImplementation(function (this: pg.Pool, ...args: unknown[]) {
      if (String(args[0]).includes("FROM evaluations") && ++evidenceReads === 2) return Promise.reject(new Error("connection lost while streaming"));
      return (query as (...rest: unknown[]) => unknown).apply(this, args);
    } as typeof query);
    try {
      const result = await runInProcess(["evidence", "--framework", "pci-dss", "--as-of", "2026-02-02", "--out", out]);
      expect(evidenceReads).toBe(2);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("connection lost while streaming");
      expect(await readdir(path.dirname(out))).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});
