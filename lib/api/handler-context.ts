import type { NextRequest } from "next/server";
import type { Database } from "@/lib/db/client";

/** What a route handler gets once its request is parsed and authorized (withAuth, withHandler). */
export interface HandlerContext<Query> {
  query: Query;
  db: Database;
  request: NextRequest;
  params: Record<string, string>;
}
