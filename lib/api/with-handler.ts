import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { getDatabase, type Database } from "@/lib/db/client";
import { errorResponse } from "./error-response";

export interface HandlerContext<Query> {
  query: Query;
  db: Database;
  request: NextRequest;
  params: Record<string, string>;
}

/**
 * A thin route handler: parse (zod) → query → respond, with the one error shape. Search params
 * and route params are validated together by `schema`.
 */
export function withHandler<Schema extends z.ZodType>(
  schema: Schema,
  handler: (context: HandlerContext<z.infer<Schema>>) => Promise<unknown>,
) {
  return async (request: NextRequest, context: { params: Promise<Record<string, string>> }) => {
    try {
      const params = (await context?.params) ?? {};
      const raw = { ...Object.fromEntries(request.nextUrl.searchParams), ...params };
      const query = schema.parse(raw);
      const db = await getDatabase();
      const body = await handler({ query, db, request, params });
      return NextResponse.json(body, { headers: { "Cache-Control": "no-store" } });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
