import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", ".next-*/**", "node_modules/**", "lib/generated/**", "next-env.d.ts", ".bulkhead*/**", "test-results*/**", "playwright-report/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // CSV is written through lib/csv.ts only: it neutralises spreadsheet formulas (CSV injection).
      "no-restricted-imports": ["error", { paths: [{ name: "papaparse", message: "Write CSV with toSafeCsv from @/lib/csv (it escapes formulas); tests may parse with papaparse." }] }],
    },
  },
  {
    files: ["lib/csv.ts", "**/*.test.ts", "e2e/**"],
    rules: { "no-restricted-imports": "off" },
  },
];

export default config;
