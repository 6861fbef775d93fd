#!/usr/bin/env node
// Started detached by lib/db/embedded.ts with the data directory and the postmaster's pid.
import "./register.mjs";

const [root, pid] = process.argv.slice(2);
const { watchEmbeddedPostgres } = await import("../lib/db/postgres-watchdog.ts");
await watchEmbeddedPostgres(root, Number(pid));
process.exit(0);
