// The production web server that `bulkhead serve` runs: Next.js behind a small HTTP front of our own.
// Next cannot tell a route handler the socket's address (it fills X-Forwarded-For from the socket only
// when the client sent none), so the front writes the address it read, and refuses methods no route
// serves, before Next sees the request.

import http from "node:http";
import next from "next";
import { findProjectRoot } from "@/lib/db/project-root";
import { getEnv } from "@/lib/env";
import { frontRequest, markRequestFrontInstalled } from "@/lib/http/request-front";

export async function runWebServer(options: { port: number; host: string }): Promise<void> {
  const trusted = getEnv().BULKHEAD_TRUSTED_PROXIES;
  markRequestFrontInstalled();
  const app = next({ dev: false, dir: findProjectRoot(), hostname: options.host, port: options.port });
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
