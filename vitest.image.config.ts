import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// The container-image test (testing/image/): it needs the production build, so `npm test` runs it
// after `npm run build`, on its own. Same aliases and test database as the main suite.
export default defineConfig({
  resolve: base.resolve,
  test: {
    include: ["testing/image/**/*.test.ts"],
    globalSetup: base.test?.globalSetup,
    testTimeout: 120_000,
    hookTimeout: 660_000,
  },
});
