import { hostname, userInfo } from "node:os";

/** Who did it, as the trail records a CLI action: the operating-system account and machine. */
export function cliActor(): string {
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the machine still says where it came from.
  }
  return `cli:${user}@${hostname()}`;
}
