import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The layers of the house (docs/design.md §2). Each zone: files under `target` may not import from
// `from` (aliases and relative paths alike: eslint-plugin-import resolves both to files).
const TEST_FILES = ["**/*.test.ts", "**/*.test.tsx", "e2e/**", "testing/**", "scripts/**"];

/** Test and benchmark code: production never imports it. */
const TEST_AND_BENCH = ["./testing", "./scripts", "./e2e"];

export const layerZones = [
  {
    target: "./lib/posture",
    from: "./",
    except: ["./lib/posture", "./node_modules"],
    message: "The evaluator is pure: lib/posture imports nothing of ours outside lib/posture.",
  },
  {
    target: "./lib",
    from: ["./components", "./hooks", "./app", "./cli"],
    message: "lib/ is below the pages, hooks and the CLI: it never imports them.",
  },
  {
    target: ["./lib/data", "./lib/kpi", "./lib/findings", "./lib/compliance"],
    from: "./lib/collector",
    message: "The read side (lib/data, lib/kpi, lib/findings, lib/compliance) never imports the collector.",
  },
  {
    target: ["./lib/sources", "./lib/db"],
    from: ["./lib/collector", "./lib/data", "./lib/kpi", "./lib/findings", "./lib/compliance", "./lib/demo"],
    message: "Sources and the store are below the collector and the read side.",
  },
  {
    target: ["./components", "./hooks"],
    from: ["./lib/db", "./lib/collector", "./lib/demo", "./lib/sources"],
    message: "Components and hooks get their data through the page loaders (app/) and the API, never from the store or a source.",
  },
  {
    target: ["./app", "./components", "./hooks", "./lib", "./cli", "./instrumentation.ts", "./proxy.ts"],
    from: TEST_AND_BENCH,
    message: "Production code never imports test or benchmark code (testing/, scripts/, e2e/).",
  },
];

// CSV is written through lib/csv.ts only: it neutralises spreadsheet formulas (CSV injection).
const PAPAPARSE = { name: "papaparse", message: "Write CSV with toSafeCsv from @/lib/csv (it escapes formulas); tests may parse with papaparse." };
// Recharts is loaded on demand by ChartContainer, from components/ui/chart-kit.tsx only: a static
// import anywhere else puts the whole library into the first load of every page that reaches it.
const RECHARTS = {
  name: "recharts",
  allowTypeImports: true,
  message: "Draw with the parts ChartContainer hands its children (components/ui/chart.tsx); add a missing part to components/ui/chart-kit.tsx.",
};

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", ".next-*/**", "node_modules/**", "lib/generated/**", "next-env.d.ts", ".bulkhead*/**", "test-results*/**", "playwright-report/**", "coverage/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": ["error", { paths: [PAPAPARSE, RECHARTS] }],
    },
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    ignores: TEST_FILES,
    rules: {
      "import/no-restricted-paths": ["error", { zones: layerZones }],
    },
  },
  {
    files: ["lib/csv.ts", "**/*.test.ts", "e2e/**"],
    rules: { "no-restricted-imports": ["error", { paths: [RECHARTS] }] },
  },
  {
    files: ["components/ui/chart-kit.tsx"],
    rules: { "no-restricted-imports": ["error", { paths: [PAPAPARSE] }] },
  },
];

export default config;
