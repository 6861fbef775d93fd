// Options of `bulkhead analyze` that need more than commander gives: --format and --fail-on.

import { ANALYZE_CONTROLS } from "../../lib/analyze/analyze-controls";
import { isControlId, type ControlId } from "../../lib/posture/control-catalogue";

export { TOOL_VERSION } from "../tool-version";

export const ANALYZE_FORMATS = ["table", "json", "sarif", "junit"] as const;
export type AnalyzeFormat = (typeof ANALYZE_FORMATS)[number];

/** `allow-any` is NP-06 by what it finds; `none` reports without failing (a team adopting it gradually). */
const ALIASES: Readonly<Record<string, readonly ControlId[]>> = { "allow-any": ["NP-06"], none: [] };

/** --fail-on's list: control ids (NP-01 … NP-06), `allow-any`, or `none`; a message naming the bad entry otherwise. */
export function parseFailOn(value: string): { ok: true; controls: Set<ControlId> } | { ok: false; message: string } {
  const controls = new Set<ControlId>();
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.length === 0) return { ok: false, message: "--fail-on needs a list such as NP-02,NP-03,allow-any (or none)" };
  for (const entry of entries) {
    const alias = ALIASES[entry.toLowerCase()];
    if (alias) {
      if (entry.toLowerCase() === "none" && entries.length > 1) return { ok: false, message: "--fail-on none cannot be combined with controls" };
      for (const control of alias) controls.add(control);
      continue;
    }
    const id = entry.toUpperCase();
    if (!isControlId(id) || !ANALYZE_CONTROLS.includes(id)) {
      return { ok: false, message: `--fail-on ${JSON.stringify(entry)} is not one of ${ANALYZE_CONTROLS.join(", ")}, allow-any, none` };
    }
    controls.add(id);
  }
  return { ok: true, controls };
}
