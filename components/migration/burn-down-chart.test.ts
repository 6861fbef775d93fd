import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { ENGINE_GROUPS, type EngineGroup } from "@/lib/migration/engine-groups";
import { BurnDownChart, stackEngines } from "./burn-down-chart";

const days = ["2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04"];
const series: Record<EngineGroup, number[]> = { npm: [6, 5, 3, 2], cilium: [1, 2, 4, 5], calico: [1, 1, 1, 1], none: [0, 0, 0, 0], other: [0, 0, 0, 1] };
const labels = Object.fromEntries(ENGINE_GROUPS.map((group) => [group, group.toUpperCase()])) as Record<EngineGroup, string>;

/** The attributes of every <path> in some markup. */
function shapes(markup: string): Record<string, string>[] {
  return [...markup.matchAll(/<path ([^>]*?)\/?>/g)].map(([, attributes]) => Object.fromEntries([...attributes.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value])));
}

describe("the migration burn-down", () => {
  test("engines stack in order: each band runs from the total of those below to that total plus its own count", () => {
    const stacked = stackEngines(["npm", "cilium", "other"], series, days.length);
    expect(stacked).toEqual([
      { group: "npm", base: [0, 0, 0, 0], top: [6, 5, 3, 2] },
      { group: "cilium", base: [6, 5, 3, 2], top: [7, 7, 7, 7] },
      { group: "other", base: [7, 7, 7, 7], top: [7, 7, 7, 8] },
    ]);
  });

  test("before any script runs it is drawn statically: a stacked step band per engine, on an axis that reaches the largest total", () => {
    const markup = renderToStaticMarkup(createElement(BurnDownChart, { days, series, labels, order: ENGINE_GROUPS }));
    expect(markup).toContain("data-chart-preview");
    expect(markup).toContain('aria-label="Clusters by policy engine at the end of each day');
    expect(markup).not.toContain("recharts");
    // Totals 8, 8, 8, 9: the axis runs 0, 3, 6, 9, 12 clusters.
    expect([...markup.matchAll(/<span class="absolute right-full[^"]*"[^>]*>(\d+)<\/span>/g)].map(([, tick]) => Number(tick))).toEqual([0, 3, 6, 9, 12]);
    // One shaded outline per engine that has clusters before the last day (the last day only ends a
    // step): NPM, Cilium and Calico; none for "none" and "other".
    const bands = shapes(markup).filter((shape) => shape["data-static-band"]);
    expect(bands.map((band) => [band["data-static-band"], band.fill])).toEqual([
      ["npm", "#b91c1c"],
      ["cilium", "#047857"],
      ["calico", "#1d4ed8"],
    ]);
    // Day 1 in the 1000-high plot at a maximum of 12: NPM from 0 to 6, Cilium from 6 to 7, Calico
    // from 7 to 8 (stepped outlines start at the base, rise to day 1's top).
    const day1 = (group: string) => bands.find((band) => band["data-static-band"] === group)!.d.match(/^M0\.0,([\d.]+) V([\d.]+)/)!.slice(1).map((edge) => Math.round(((1000 - Number(edge)) / 1000) * 12 * 100) / 100);
    expect(day1("npm")).toEqual([0, 6]);
    expect(day1("cilium")).toEqual([6, 7]);
    expect(day1("calico")).toEqual([7, 8]);
    // Each engine's top edge is a step line.
    expect(markup.match(/data-static-line="/g)).toHaveLength(ENGINE_GROUPS.length);
  });
});
