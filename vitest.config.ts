import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)), "server-only": fileURLToPath(new URL("./testing/server-only-stub.ts", import.meta.url)) } },
  test: {
    include: ["**/*.test.ts"],
    // testing/image/ needs the production build: `npm run test:image` (vitest.image.config.ts).
    exclude: ["node_modules/**", "e2e/**", ".next/**", "testing/image/**"],
    globalSetup: ["./testing/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
