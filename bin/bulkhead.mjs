#!/usr/bin/env node
import "./register.mjs";

const { main } = await import("../cli/main.ts");
await main(process.argv);
// Exit with the command's status once stdout has flushed, whatever handle a library left open.
const code = process.exitCode ?? 0;
process.stdout.write("", () => process.exit(code));
