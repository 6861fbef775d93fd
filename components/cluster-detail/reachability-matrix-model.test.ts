import { describe, expect, test } from "vitest";
import { toReachabilityView, RISKY_CLASSES_SHOWN } from "@/lib/data/cluster-detail/reachability-view";
import type { ReachabilityDocument } from "@/lib/posture";
import { cellFigures, cellText, MATRIX_LIMIT, matrixNamespaces, NEW_PODS_ONLY, NO_CONNECTION, SCALE_STEPS, scaleStep } from "./reachability-matrix-model";

/** a (3 pods), b (2 pods), c (no running pods): a reaches b's pods, itself; b reaches only c's new pods. */
const DOCUMENT: ReachabilityDocument = {
  version: 1,
  namespaces: ["a", "b", "c"],
  ports: ["TCP/443", "TCP/*"],
  pods: 5,
  exposure: 40,
  namespacePods: [3, 2, 0],
  classes: [
    { namespace: 0, labels: null, count: 0, reachablePods: 5, namespacesReached: 2 },
    { namespace: 0, labels: { app: "web" }, count: 3, reachablePods: 4, namespacesReached: 2 },
    { namespace: 1, labels: null, count: 0, reachablePods: 0, namespacesReached: 1 },
    { namespace: 1, labels: { app: "db" }, count: 2, reachablePods: 0, namespacesReached: 1 },
    { namespace: 2, labels: null, count: 0, reachablePods: 0, namespacesReached: 0 },
  ],
  namespacePairs: [
    [0, 0, 3],
    [0, 1, 1],
    [1, 2, 0],
  ],
  internetExposed: [0, 1],
  reachesImds: [3],
};

describe("the view of a stored document", () => {
  test("namespaces with their pods and running classes, every pair, the risky classes with most pods first", () => {
    const view = toReachabilityView(DOCUMENT, "stored");
    expect(view).toMatchObject({ source: "stored", exposure: 40, pods: 5, hasPodData: true, classCount: 5, ports: ["TCP/443", "TCP/*"] });
    expect(view.namespaces).toEqual([
      { name: "a", pods: 3, classes: 1 },
      { name: "b", pods: 2, classes: 1 },
      { name: "c", pods: 0, classes: 0 },
    ]);
    expect(view.pairs).toEqual(DOCUMENT.namespacePairs);
    expect(view.internetExposed).toEqual({
      total: 2,
      pods: 3,
      classes: [
        { namespace: "a", labels: { app: "web" }, pods: 3, reachablePods: 4, namespacesReached: 2 },
        { namespace: "a", labels: null, pods: 0, reachablePods: 5, namespacesReached: 2 },
      ],
    });
    expect(view.reachesImds).toMatchObject({ total: 1, pods: 2, classes: [{ namespace: "b", labels: { app: "db" } }] });
  });

  test("without pod data every class is a stranger pod counting one: no pod data", () => {
    const document: ReachabilityDocument = {
      ...DOCUMENT,
      namespacePods: [1, 1, 1],
      pods: 3,
      classes: [0, 1, 2].map((namespace) => ({ namespace, labels: null, count: 1, reachablePods: 2, namespacesReached: 3 })),
      internetExposed: [],
      reachesImds: [],
    };
    expect(toReachabilityView(document, "judged")).toMatchObject({ source: "judged", hasPodData: false, classCount: 3 });
  });

  test("the risky classes are listed up to a limit, counted in full", () => {
    const classes = Array.from({ length: RISKY_CLASSES_SHOWN + 5 }, (_, index) => ({ namespace: 0, labels: { app: `a${index}` }, count: index, reachablePods: 1, namespacesReached: 1 }));
    const view = toReachabilityView({ ...DOCUMENT, classes, internetExposed: classes.map((_, index) => index) }, "stored");
    expect(view.internetExposed.total).toBe(RISKY_CLASSES_SHOWN + 5);
    expect(view.internetExposed.classes).toHaveLength(RISKY_CLASSES_SHOWN);
    expect(view.internetExposed.classes[0].pods).toBe(RISKY_CLASSES_SHOWN + 4);
  });
});

describe("matrix cells", () => {
  const view = toReachabilityView(DOCUMENT, "stored");
  const figure = cellFigures(view);

  test("a cell's pods, the target's pods and the share; no pair is no connection; a target without pods is 0 %", () => {
    expect(figure(0, 0)).toEqual({ pods: 3, total: 3, share: 100 });
    expect(figure(0, 1)).toEqual({ pods: 1, total: 2, share: 50 });
    expect(figure(1, 0)).toEqual({ pods: null, total: 3, share: null });
    expect(figure(1, 2)).toEqual({ pods: 0, total: 0, share: 0 });
  });

  test("text and colour: whole percent rounded down, under one said so; each step readable", () => {
    expect([null, 0, 0.4, 1, 49.9, 99.5, 100].map(cellText)).toEqual(["–", "0", "<1", "1", "49", "99", "100"]);
    expect(scaleStep(null)).toBe(NO_CONNECTION);
    expect(scaleStep(0)).toBe(NEW_PODS_ONLY);
    expect([0.4, 24.9, 25, 74, 99.9, 100].map((share) => scaleStep(share).label)).toEqual(["under 25%", "under 25%", "25–49%", "50–74%", "75–99%", "100%"]);
    // Every step's figure meets WCAG AA (4.5:1) against its background.
    for (const step of [NO_CONNECTION, NEW_PODS_ONLY, ...SCALE_STEPS]) expect(contrast(step.text, step.background), step.label).toBeGreaterThanOrEqual(4.5);
  });

  test("namespaces shown: all in name order; filtered by name; of too many, those with the most pods", () => {
    expect(matrixNamespaces(view, "")).toEqual({ shown: [0, 1, 2], matching: 3 });
    expect(matrixNamespaces(view, " B ")).toEqual({ shown: [1], matching: 1 });
    const many = toReachabilityView({ ...DOCUMENT, namespaces: Array.from({ length: MATRIX_LIMIT + 10 }, (_, index) => `ns-${String(index).padStart(3, "0")}`), namespacePods: Array.from({ length: MATRIX_LIMIT + 10 }, (_, index) => index) }, "stored");
    const { shown, matching } = matrixNamespaces(many, "");
    expect(matching).toBe(MATRIX_LIMIT + 10);
    expect(shown).toHaveLength(MATRIX_LIMIT);
    expect(shown[0]).toBe(10);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
  });
});

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}
