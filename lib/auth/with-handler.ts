import "server-only";
import type { z } from "zod";
import { withAuth } from "./with-auth";
import type { HandlerContext } from "@/lib/api/handler-context";

export type { HandlerContext } from "@/lib/api/handler-context";

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
