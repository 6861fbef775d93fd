import { z } from "zod";
import { CONTROL_IDS } from "@/lib/posture/control-catalogue";

/**
 * How far Bulkhead's network controls evidence a requirement (docs/compliance.md):
 * `fully` — every mapped control passing means the requirement is met for that cluster;
 * `partly` — the controls evidence the network part only; the rest needs other evidence.
 */
export const EVIDENCE_LEVELS = ["fully", "partly"] as const;
export type EvidenceLevel = (typeof EVIDENCE_LEVELS)[number];

/** One sentence: starts with a capital or a control id, ends with a full stop, no second sentence. */
const oneSentence = z
  .string()
  .trim()
  .min(20)
  .max(400)
  .refine((text) => /^[A-Z§]/.test(text) && text.endsWith(".") && !/[.!?]\s+[A-Z]/.test(text.slice(0, -1)), { message: "must be one sentence" });

export const requirementSchema = z.strictObject({
  /** The id as the framework numbers it: "5.3.2", "1.3.1", "CC6.6", "164.312(a)(1)", "SC-7(5)", "8.22". */
  id: z.string().trim().min(1).max(40),
  /** The published title, or for frameworks without titles (PCI DSS, SOC 2) the requirement statement. */
  title: z.string().trim().min(3).max(400),
  evidence: z.enum(EVIDENCE_LEVELS),
  /** The controls whose results evidence it; a cluster's evidence passes when every one passes (n/a aside). */
  controls: z
    .array(z.enum(CONTROL_IDS))
    .min(1)
    .refine((ids) => new Set(ids).size === ids.length, { message: "names a control twice" }),
  rationale: oneSentence,
});

export const frameworkSchema = z
  .strictObject({
    /** The id the CLI and the page take: lower case, digits and dashes. */
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    name: z.string().trim().min(3).max(120),
    /** The version of the published text the ids and titles were taken from. */
    version: z.string().trim().min(1).max(80),
    publisher: z.string().trim().min(2).max(120),
    /** What network controls can and cannot show for this framework, in a sentence or two. */
    limits: z.string().trim().min(20).max(600),
    requirements: z.array(requirementSchema).min(1),
  })
  .superRefine((framework, context) => {
    const seen = new Set<string>();
    framework.requirements.forEach((requirement, index) => {
      if (seen.has(requirement.id)) context.addIssue({ code: "custom", path: ["requirements", index, "id"], message: `${requirement.id} appears twice` });
      seen.add(requirement.id);
    });
  });

export type FrameworkRequirement = z.infer<typeof requirementSchema>;
export type Framework = z.infer<typeof frameworkSchema>;
/** A framework as written in its data file, before validation. */
export type FrameworkInput = z.input<typeof frameworkSchema>;
