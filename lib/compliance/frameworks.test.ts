import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { CONTROL_IDS, type ControlId } from "@/lib/posture/control-catalogue";
import { frameworkSchema } from "./framework-schema";
import { FRAMEWORKS, frameworkLabel, UNMAPPED_CONTROLS } from "./frameworks";
import { controlOutcome, requirementOutcome, type ControlOutcome } from "./requirement-outcome";

// The mappings as reviewed against each framework's published text (docs/compliance.md): a change to
// the catalogue must change this table too, on purpose.
const EXPECTED: Record<string, { version: string; requirements: [id: string, evidence: "fully" | "partly", controls: ControlId[]][] }> = {
  "cis-kubernetes": { version: "v1.12.0", requirements: [["5.3.1", "fully", ["NP-01"]], ["5.3.2", "partly", ["NP-02", "NP-07"]]] },
  "cis-aks": { version: "v1.8.0", requirements: [["4.4.1", "partly", ["NP-01"]], ["4.4.2", "partly", ["NP-02", "NP-07"]], ["5.4.4", "fully", ["NP-01"]]] },
  "pci-dss": {
    version: "v4.0.1",
    requirements: [
      ["1.2.5", "partly", ["NP-06"]],
      ["1.3.1", "partly", ["NP-01", "NP-02", "NP-06"]],
      ["1.3.2", "partly", ["NP-01", "NP-03", "NP-05", "NP-06"]],
      ["1.4.1", "partly", ["NP-01", "NP-02"]],
      ["1.4.2", "partly", ["NP-01", "NP-02", "NP-06"]],
    ],
  },
  soc2: {
    version: "2017 (revised points of focus, 2022)",
    requirements: [
      ["CC6.1", "partly", ["NP-01", "NP-02", "NP-03", "NP-05", "NP-06"]],
      ["CC6.6", "partly", ["NP-01", "NP-02", "NP-06"]],
      ["CC6.7", "partly", ["NP-01", "NP-03", "NP-06"]],
    ],
  },
  hipaa: {
    version: "45 CFR §164.312 (as amended January 2013)",
    requirements: [
      ["164.312(a)(1)", "partly", ["NP-01", "NP-02", "NP-05", "NP-06"]],
      ["164.312(e)(1)", "partly", ["NP-01", "NP-03", "NP-06"]],
    ],
  },
  "nist-800-53": {
    version: "Revision 5",
    requirements: [
      ["AC-4", "partly", ["NP-01", "NP-02", "NP-03", "NP-05", "NP-06"]],
      ["SC-7", "partly", ["NP-01", "NP-02", "NP-03", "NP-06"]],
      ["SC-7(5)", "partly", ["NP-01", "NP-02", "NP-03", "NP-06"]],
      ["SC-7(21)", "partly", ["NP-02", "NP-03", "NP-06"]],
    ],
  },
  "iso-27001": {
    version: "2022",
    requirements: [
      ["8.20", "partly", ["NP-01", "NP-05", "NP-06"]],
      ["8.22", "partly", ["NP-01", "NP-02", "NP-03", "NP-07"]],
    ],
  },
};

/** Where each control must appear (framework:requirement), derived from the table above. */
function placesOf(control: ControlId): string[] {
  return Object.entries(EXPECTED).flatMap(([framework, { requirements }]) => requirements.filter(([, , controls]) => controls.includes(control)).map(([id]) => `${framework}:${id}`));
}

describe("the framework catalogue", () => {
  test("holds the reviewed mappings, framework by framework, in this order", () => {
    expect(FRAMEWORKS.map((framework) => framework.id)).toEqual(Object.keys(EXPECTED));
    for (const framework of FRAMEWORKS) {
      expect(framework.version, framework.id).toBe(EXPECTED[framework.id].version);
      expect(framework.requirements.map((requirement) => [requirement.id, requirement.evidence, requirement.controls]), framework.id).toEqual(EXPECTED[framework.id].requirements);
    }
  });

  test.each(CONTROL_IDS.map((id) => [id]))("%s appears exactly where the table puts it, or is named unmapped with a reason", (id) => {
    const actual = FRAMEWORKS.flatMap((framework) => framework.requirements.filter((requirement) => requirement.controls.includes(id)).map((requirement) => `${framework.id}:${requirement.id}`));
    expect(actual).toEqual(placesOf(id));
    if (actual.length === 0) expect(UNMAPPED_CONTROLS[id], `${id} is mapped nowhere`).toMatch(/^NP-\d\d .{40,}\.$/);
    else expect(UNMAPPED_CONTROLS[id]).toBeUndefined();
  });

  test("no requirement maps to nothing; the engine control is in every framework; only the CIS engine items are fully evidenced", () => {
    for (const framework of FRAMEWORKS) {
      for (const requirement of framework.requirements) expect(requirement.controls.length, `${framework.id} ${requirement.id}`).toBeGreaterThan(0);
      expect(framework.requirements.some((requirement) => requirement.controls.includes("NP-01")), framework.id).toBe(true);
    }
    const fully = FRAMEWORKS.flatMap((framework) => framework.requirements.filter((requirement) => requirement.evidence === "fully").map((requirement) => `${framework.id}:${requirement.id}`));
    expect(fully).toEqual(["cis-kubernetes:5.3.1", "cis-aks:5.4.4"]);
    // A fully evidenced requirement rests on the engine alone: nothing else is needed to meet it.
    for (const place of fully) expect(FRAMEWORKS.flatMap((f) => f.requirements.filter((r) => `${f.id}:${r.id}` === place)).map((r) => r.controls)).toEqual([["NP-01"]]);
    expect(UNMAPPED_CONTROLS).toEqual({ "NP-04": expect.any(String) });
  });

  test("the IMDS control backs the outbound and credential requirements only", () => {
    expect(placesOf("NP-05")).toEqual(["pci-dss:1.3.2", "soc2:CC6.1", "hipaa:164.312(a)(1)", "nist-800-53:AC-4", "iso-27001:8.20"]);
    expect(placesOf("NP-03")).not.toContain("pci-dss:1.3.1");
    expect(placesOf("NP-02")).not.toContain("pci-dss:1.3.2");
  });

  test("every rationale is one sentence, every framework cites its version and publisher", () => {
    for (const framework of FRAMEWORKS) {
      expect(frameworkLabel(framework)).toContain(framework.version);
      expect(framework.publisher.length).toBeGreaterThan(2);
      for (const requirement of framework.requirements) expect(requirement.rationale).toMatch(/^[A-Z§][^]*\.$/);
    }
  });

  test("docs/compliance.md shows exactly these mappings", () => {
    const doc = readFileSync(new URL("../../docs/compliance.md", import.meta.url), "utf8");
    for (const framework of FRAMEWORKS) {
      expect(doc).toContain(`### ${frameworkLabel(framework)} (\`${framework.id}\`)`);
      for (const requirement of framework.requirements) {
        expect(doc).toContain(`| ${requirement.id} | ${requirement.title.replace(/\|/g, "\\|")} | ${requirement.evidence} | ${requirement.controls.join(", ")} | ${requirement.rationale} |`);
      }
    }
  });
});

describe("the catalogue's schema refuses a malformed mapping", () => {
  const valid = { id: "x-1", name: "Example", version: "v1", publisher: "Example body", limits: "Only an example, for the schema's own tests here.", requirements: [{ id: "1", title: "A title", evidence: "partly", controls: ["NP-01"], rationale: "NP-01 shows the engine is on, which is one part of it." }] };
  test.each([
    ["an unknown control", { requirements: [{ ...valid.requirements[0], controls: ["NP-99"] }] }, /controls/],
    ["no control", { requirements: [{ ...valid.requirements[0], controls: [] }] }, /controls/],
    ["a control twice", { requirements: [{ ...valid.requirements[0], controls: ["NP-01", "NP-01"] }] }, /names a control twice/],
    ["two sentences", { requirements: [{ ...valid.requirements[0], rationale: "NP-01 shows the engine. Also something else entirely." }] }, /one sentence/],
    ["a duplicate requirement", { requirements: [valid.requirements[0], valid.requirements[0]] }, /appears twice/],
    ["an evidence level other than fully or partly", { requirements: [{ ...valid.requirements[0], evidence: "mostly" }] }, /evidence/],
    ["an unknown field", { extra: true }, /extra|Unrecognized/],
  ])("%s", (_, change, message) => {
    expect(frameworkSchema.safeParse(valid).success).toBe(true);
    const parsed = frameworkSchema.safeParse({ ...valid, ...change });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(message);
  });
});

describe("a requirement's outcome from its controls", () => {
  const of = (outcomes: Partial<Record<ControlId, ControlOutcome>>) => (id: ControlId) => outcomes[id] ?? "n/a";
  test.each([
    ["every control passes", { "NP-01": "pass", "NP-02": "pass" }, "pass"],
    ["one passes, one n/a", { "NP-01": "pass" }, "pass"],
    ["one fails", { "NP-01": "pass", "NP-02": "fail" }, "fail"],
    ["one fails and one is waived", { "NP-01": "waived", "NP-02": "fail" }, "fail"],
    ["the only failure is waived", { "NP-01": "pass", "NP-02": "waived" }, "waived"],
    ["every control n/a", {}, "n/a"],
  ] as const)("%s: %s", (_, outcomes, expected) => {
    expect(requirementOutcome(["NP-01", "NP-02"], of(outcomes))).toBe(expected);
  });

  test("a failure is waived only under a waiver; a waiver on a passing control changes nothing", () => {
    expect(controlOutcome("fail", true)).toBe("waived");
    expect(controlOutcome("fail", false)).toBe("fail");
    expect(controlOutcome("pass", true)).toBe("pass");
    expect(controlOutcome("n/a", true)).toBe("n/a");
  });
});
