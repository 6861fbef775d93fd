import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
// Separate stores let two test runs share a checkout; CI uses the default.
const DATA_DIR = process.env.E2E_DATA_DIR ?? ".bulkhead-e2e";
const OUTPUT_DIR = process.env.E2E_OUTPUT_DIR ?? "test-results";
// Debian's Chromium by default (Playwright's own browser download is not available everywhere).
const executablePath = process.env.BULKHEAD_CHROMIUM ?? "/usr/bin/chromium";
const chromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"];

export default defineConfig({
  testDir: "e2e",
  outputDir: OUTPUT_DIR,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: `${OUTPUT_DIR}-report` }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: "on",
    trace: "retain-on-failure",
    viewport: { width: 1280, height: 800 },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/, use: { launchOptions: { executablePath, args: chromiumArgs } } },
    {
      name: "chromium",
      dependencies: ["setup"],
      testIgnore: /auth\.setup\.ts/,
      use: {
        ...devices["Desktop Chrome"],
        // Specs run as an admin unless they choose a role with test.use({ storageState }).
        storageState: `${OUTPUT_DIR}/.auth/admin.json`,
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath,
          args: chromiumArgs,
        },
      },
    },
  ],
  webServer: {
    // A store of its own, filled with a small demo estate, served from the production build.
    command: `rm -rf ${DATA_DIR} && node bin/bulkhead.mjs serve --demo --demo-clusters 60 --demo-days 200 --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}`,
    // Request logs (one JSON line per request) at info would bury the test output; warnings still show.
    env: { BULKHEAD_DATA_DIR: DATA_DIR, DATABASE_URL: process.env.E2E_DATABASE_URL ?? "", BULKHEAD_SIGNIN_RATE_LIMIT: "60/60", BULKHEAD_LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn" },
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
