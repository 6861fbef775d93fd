import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)), "server-only": fileURLToPath(new URL("./testing/server-only-stub.ts", import.meta.url)) } },
  test: {
    include: ["**/*.test.ts"],
    // testing/image/ needs the production build: `npm run test:image` (vitest.image.config.ts).
    exclude: ["node_modules/**", "e2e/**", ".next/**", "testing/image/**"],
    globalSetup: ["./testing/global-setup.ts"],
    // Vitest's default (CPUs - 1) runs one file at a time on a 2-core machine, while most files wait
    // on Postgres or on the `bulkhead` processes they spawn. Files are isolated from each other: each
    // copies its own database from the template (advisory locks and pg_stat_activity are per database),
    // servers and fakes listen on port 0, data directories are mkdtemp'd, and each file runs in its
    // own process. Two at once took 8 CLI files from 293 s to 200 s (load 4-8).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
