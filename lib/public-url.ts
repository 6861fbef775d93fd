import { getEnv } from "@/lib/env";

/** The address people open Bulkhead at: BULKHEAD_PUBLIC_URL, else http://localhost:PORT. */
export function publicUrl(): string {
  const env = getEnv();
  return env.BULKHEAD_PUBLIC_URL ?? `http://localhost:${env.PORT}`;
}
