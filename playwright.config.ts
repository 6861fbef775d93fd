import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
// Debian's Chromium by default (Playwright's own browser download is not available everywhere).
const executablePath = process.env.BULKHEAD_CHROMIUM ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: "on",
    trace: "retain-on-failure",
    viewport: { width: 1280, height: 800 },
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath,
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
        },
      },
    },
  ],
  webServer: {
    // A store of its own, filled with a small demo estate, served from the production build.
    command: `rm -rf .bulkhead-e2e && node bin/bulkhead.mjs serve --demo --demo-clusters 60 --demo-days 200 --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}`,
    env: { BULKHEAD_DATA_DIR: ".bulkhead-e2e", DATABASE_URL: process.env.E2E_DATABASE_URL ?? "" },
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
