// Test support (cli/startup.test.ts): `node --import ./testing/module-trace-hooks.mjs ...` records the
// URL of every module the process loads, ESM and CommonJS alike, and writes them as JSON to the file
// BULKHEAD_MODULE_TRACE names when the process exits.
import { writeFileSync } from "node:fs";
import { registerHooks } from "node:module";

const loaded = new Set();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});

process.on("exit", () => {
  if (process.env.BULKHEAD_MODULE_TRACE) writeFileSync(process.env.BULKHEAD_MODULE_TRACE, JSON.stringify([...loaded]));
});
