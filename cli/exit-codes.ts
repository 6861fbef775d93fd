import { isAppError } from "@/lib/errors";
import { ConfigError } from "@/lib/config-error";

/** Exit statuses shared by every command; `analyze` adds 1 for "findings". */
export const EXIT = { ok: 0, failed: 1, badInput: 2, busy: 3 } as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof ConfigError) return EXIT.badInput;
  if (isAppError(error)) {
    if (error.code === "busy") return EXIT.busy;
    if (error.code === "bad-request" || error.code === "bad-input-file" || error.code === "conflict" || error.code === "config") return EXIT.badInput;
  }
  return EXIT.failed;
}
