// The production web server that `bulkhead serve` runs: Next.js behind a small HTTP front of our own.
// Next cannot tell a route handler the socket's address (it fills X-Forwarded-For from the socket only
// when the client sent none), so the front writes the address it read, and refuses methods no route
// serves, before Next sees the request.

import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import next from "next";
import { findProjectRoot } from "@/lib/db/project-root";
import { getEnv } from "@/lib/env";
import { frontRequest, markRequestFrontInstalled } from "@/lib/http/request-front";

export async function runWebServer(options: { port: number; host: string }): Promise<void> {
  const trusted = getEnv().BULKHEAD_TRUSTED_PROXIES;
  markRequestFrontInstalled();
  const dir = findProjectRoot();
  const app = next({ dev: false, dir, hostname: options.host, port: options.port, ...standaloneConfig(dir) });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((request, response) => {
    if (!frontRequest(request, response, trusted)) return;
    void handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const stop = () => {
    server.close();
    void app.close().finally(() => process.exit(0));
    // Keep-alive connections would hold close() open; a second signal or 10 s ends it.
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/**
 * The configuration `next build` resolved, as Next's own standalone server.js passes it: the container
 * image ships the standalone output without next.config.js's build-time dependencies, and the
 * server must not resolve the configuration again. From a checkout it is the same configuration.
 */
function standaloneConfig(dir: string): { conf?: Record<string, unknown> } {
  const file = path.join(dir, process.env.BULKHEAD_NEXT_DIST_DIR || ".next", "required-server-files.json");
  if (!existsSync(file)) return {};
  const { config } = JSON.parse(readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
  return { conf: config };
}
