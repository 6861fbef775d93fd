#!/usr/bin/env node
// The process `bulkhead serve` starts: Next.js behind our HTTP front (cli/web-server.ts).
import { parseArgs } from "node:util";
import "./register.mjs";

const { values } = parseArgs({ options: { port: { type: "string" }, hostname: { type: "string" } } });
const { runWebServer } = await import("../cli/web-server.ts");
await runWebServer({ port: Number(values.port ?? process.env.PORT ?? 3000), host: values.hostname ?? "127.0.0.1" });
