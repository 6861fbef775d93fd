import { getEnv } from "@/lib/env";

/** The address people open Bulkhead at: BULKHEAD_PUBLIC_URL, else http://localhost:PORT. */
export function publicUrl(): string {
  const env = getEnv();
  return env.BULKHEAD_PUBLIC_URL ?? `http://localhost:${env.PORT}`;
}

/**
 * The origins our pages are served from: the public URL and the loopback addresses of PORT. Sign-in
 * and every write must come from one of them, compared as scheme, host and port exactly.
 */
export function trustedOrigins(): string[] {
  const port = getEnv().PORT;
  return [...new Set([new URL(publicUrl()).origin, `http://localhost:${port}`, `http://127.0.0.1:${port}`])];
}
