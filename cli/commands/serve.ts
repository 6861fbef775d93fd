import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { findProjectRoot } from "@/lib/db/project-root";
import { AppError } from "@/lib/errors";
import { parsePositiveInteger } from "../option-parsers";

interface ServeOptions {
  demo?: boolean;
  port?: number;
  host: string;
  demoClusters: number;
  demoDays: number;
}

export function serveCommand(): Command {
  return new Command("serve")
    .description("serve the dashboard (production build) on the store; with --demo, fill an empty store with the demo estate first")
    .option("--demo", "fill the store with the demo estate when it is empty")
    .option("--port <n>", "port (default: PORT, else 3000)", parsePositiveInteger(65_535))
    .option("--host <address>", "address to listen on (0.0.0.0 to serve other machines)", "127.0.0.1")
    .option("--demo-clusters <n>", "clusters of the demo estate", parsePositiveInteger(100_000), 150)
    .option("--demo-days <n>", "days of demo history", parsePositiveInteger(3_650), 180)
    .addHelpText("after", "\nRun `npm run build` first (`npm run demo` does both).")
    .action(async (options: ServeOptions) => {
      const root = findProjectRoot();
      if (!existsSync(path.join(root, process.env.BULKHEAD_NEXT_DIST_DIR || ".next", "BUILD_ID"))) {
        throw new AppError("config", "No production build found: run `npm run build` first (or `npm run demo`).");
      }
      const { getEnv, resolveDataDir } = await import("@/lib/env");
      const env = getEnv();
      const port = options.port ?? env.PORT;
      // This process only supervises while the dashboard is served, so it stays small: it holds the
      // embedded server's lease (started here when nothing runs it yet) and leaves the store's
      // preparation (migrations, the demo estate, the rules notice) to a child that exits before the
      // web server starts (cli/serve-prepare.ts). The web server joins the same store: DATABASE_URL,
      // or the embedded Postgres of the same data directory, which it finds (and restarts, should it
      // die) by itself rather than by a fixed URL.
      const embedded = env.DATABASE_URL ? null : await (await import("@/lib/db/embedded")).ensureEmbeddedPostgres(resolveDataDir(env));
      const prepared = await runChild(root, [path.join(root, "bin", "serve-prepare.mjs"), JSON.stringify({ demo: Boolean(options.demo), demoClusters: options.demoClusters, demoDays: options.demoDays })]);
      if (prepared !== 0) {
        // The child said what went wrong, as the CLI would have.
        await embedded?.stop();
        process.exitCode = prepared;
        return;
      }
      // Next.js behind our HTTP front, which tells route handlers the client's address (cli/web-server.ts).
      const server = spawn(process.execPath, [path.join(root, "bin", "web-server.mjs"), "--port", String(port), "--hostname", options.host], {
        cwd: root,
        stdio: "inherit",
        env: {
          ...process.env,
          ...(env.DATABASE_URL ? { DATABASE_URL: env.DATABASE_URL } : { DATABASE_URL: "", BULKHEAD_DATA_DIR: resolveDataDir(env) }),
          PORT: String(port),
          // The sign-in page offers the demo's accounts (one per role) only in demo mode.
          BULKHEAD_DEMO_ACCOUNTS: options.demo ? "1" : (process.env.BULKHEAD_DEMO_ACCOUNTS ?? "0"),
        },
      });
      process.stderr.write(`Bulkhead dashboard: http://localhost:${port}\n`);
      const stop = () => server.kill("SIGTERM");
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      const code = await new Promise<number>((resolve) => server.on("exit", (exitCode) => resolve(exitCode ?? 0)));
      await embedded?.stop();
      process.exitCode = code;
    });
}

/** Runs a Node script of the project to its end with this process's stdio; its exit status (1 when a signal ended it). */
function runChild(root: string, args: string[]): Promise<number> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: "inherit" });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => resolve(code ?? 1));
  });
}
