import "server-only";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import type { Database } from "@/lib/db/client";
import { withAuth } from "@/lib/auth/with-auth";

export interface HandlerContext<Query> {
  query: Query;
  db: Database;
  request: NextRequest;
  params: Record<string, string>;
}

/**
 * A read-only route: parse (zod) → authorize (any signed-in role may read posture) → query →
 * respond, with the one error shape. Writes use `withAuth` with their own permission.
 */
export function withHandler<Schema extends z.ZodType>(
  schema: Schema,
  handler: (context: HandlerContext<z.infer<Schema>>) => Promise<unknown>,
) {
  return withAuth(schema, { permission: "posture:read" }, handler);
}
