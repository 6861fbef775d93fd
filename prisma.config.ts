import path from "node:path";
import { defineConfig } from "prisma/config";
import { createMigrationAdapter } from "./lib/db/migration-adapter";

// `generate` reads the schema's env("DATABASE_URL") but never connects: give it a placeholder.
const PLACEHOLDER_URL = "postgresql://placeholder@127.0.0.1:1/placeholder";
process.env.DATABASE_URL ||= PLACEHOLDER_URL;

export default defineConfig({
  experimental: { adapter: true },
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  engine: "js",
  adapter: async () => {
    const url = process.env.DATABASE_URL;
    if (!url || url === PLACEHOLDER_URL) throw new Error("DATABASE_URL is not set: run migrations through `npm run prisma -- ...`");
    return createMigrationAdapter(url);
  },
});
