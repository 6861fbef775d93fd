#!/usr/bin/env node
// Started by `bulkhead serve` before the web server: prepares the store, then exits (cli/serve-prepare.ts).
import "./register.mjs";

const { runPrepareChild } = await import("../cli/serve-prepare.ts");
await runPrepareChild(process.argv);
const code = process.exitCode ?? 0;
process.stderr.write("", () => process.exit(code));
