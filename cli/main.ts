// The `bulkhead` program. Every command's module here is its definition only (flags, their checks,
// help): a command loads what it runs in its action, so `--help`, `analyze` and a bad flag never pay
// for the store's client, the Azure and Kubernetes SDKs, the PDF writer or Next.js
// (cli/startup.test.ts holds them to it).
import { Command, CommanderError } from "commander";
import { analyzeCommand } from "./commands/analyze";
import { collectCommand } from "./commands/collect";
import { demoCommand } from "./commands/demo";
import { evidenceCommand } from "./commands/evidence";
import { importCommand } from "./commands/import";
import { kpisCommand } from "./commands/kpis";
import { migrateCommand } from "./commands/migrate";
import { reevaluateCommand } from "./commands/reevaluate";
import { runsCommand } from "./commands/runs";
import { serveCommand } from "./commands/serve";
import { usersCommand } from "./commands/users";
import { waiversCommand } from "./commands/waivers";
import { workerCommand } from "./commands/worker";
import { EXIT, exitCodeFor } from "./exit-codes";
import { TOOL_VERSION } from "./tool-version";

export function buildProgram(): Command {
  const program = new Command("bulkhead")
    .description("Network segmentation posture of AKS clusters: evaluate manifests, collect, track KPIs over time.")
    .version(TOOL_VERSION)
    .showHelpAfterError()
    .addHelpText(
      "after",
      "\nThe store is DATABASE_URL when set, else an embedded Postgres in BULKHEAD_DATA_DIR (default .bulkhead/).\nExit status: 0 ok, 1 failed (analyze: findings), 2 bad input, 3 another run in progress.",
    );
  program.addCommand(analyzeCommand());
  program.addCommand(collectCommand());
  program.addCommand(importCommand());
  program.addCommand(demoCommand());
  program.addCommand(evidenceCommand());
  program.addCommand(kpisCommand());
  program.addCommand(migrateCommand());
  program.addCommand(runsCommand());
  program.addCommand(reevaluateCommand());
  program.addCommand(serveCommand());
  program.addCommand(usersCommand());
  program.addCommand(waiversCommand());
  program.addCommand(workerCommand());
  const overrideExits = (command: Command) => {
    command.exitOverride().showHelpAfterError();
    command.commands.forEach(overrideExits);
  };
  program.commands.forEach(overrideExits);
  program.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help, the version or the usage error.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
      return;
    }
    process.stderr.write(`bulkhead: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = exitCodeFor(error);
  }
}
