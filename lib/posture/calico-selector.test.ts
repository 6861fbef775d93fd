import { describe, expect, test } from "vitest";

import { CalicoSelectorError, parseCalicoSelector } from "./calico-selector";
import { lookupIn, UNKNOWN_LABEL, type LabelLookup } from "./label-selectors";

const WEB = { app: "web", tier: "frontend", "team.example.com/owner": "payments-eu" };

interface SelectorCase {
  selector: string;
  /** Result on WEB's labels, and on a pod without labels. */
  web: boolean;
  bare: boolean;
}

describe("Calico selector semantics", () => {
  const rows: SelectorCase[] = [
    { selector: "", web: true, bare: true },
    { selector: "all()", web: true, bare: true },
    { selector: "  all( )  ", web: true, bare: true },
    { selector: "has(app)", web: true, bare: false },
    { selector: "!has(app)", web: false, bare: true },
    { selector: "app == 'web'", web: true, bare: false },
    { selector: 'app == "web"', web: true, bare: false },
    { selector: "app == 'api'", web: false, bare: false },
    { selector: "app != 'api'", web: true, bare: true },
    { selector: "app != 'web'", web: false, bare: true },
    { selector: "app in {'web', 'api'}", web: true, bare: false },
    { selector: "app in {}", web: false, bare: false },
    { selector: "app not in {'web'}", web: false, bare: true },
    { selector: "app not in { 'api' , 'db' }", web: true, bare: true },
    { selector: "team.example.com/owner contains 'pay'", web: true, bare: false },
    { selector: "team.example.com/owner starts with 'payments'", web: true, bare: false },
    { selector: "team.example.com/owner ends with '-eu'", web: true, bare: false },
    { selector: "team.example.com/owner ends  with '-us'", web: false, bare: false },
    { selector: "app == 'web' && tier == 'frontend'", web: true, bare: false },
    { selector: "app == 'web' && tier == 'backend'", web: false, bare: false },
    { selector: "app == 'api' || tier == 'frontend'", web: true, bare: false },
    { selector: "!(app == 'web' || has(db))", web: false, bare: true },
    { selector: "!!has(app)", web: true, bare: false },
    { selector: "!has(db) && (app == 'web' || app == 'api')", web: true, bare: false },
    { selector: "has(app) || !has(app)", web: true, bare: true },
    { selector: "global()", web: false, bare: false },
  ];
  test.each(rows)("$selector", ({ selector, web, bare }) => {
    const parsed = parseCalicoSelector(selector);
    expect(parsed.test(lookupIn(WEB))).toBe(web);
    expect(parsed.test(lookupIn({}))).toBe(bare);
  });

  test("all() and the empty selector select everything, the stranger pod included", () => {
    expect(parseCalicoSelector("all()").empty).toBe(true);
    expect(parseCalicoSelector("").empty).toBe(true);
    expect(parseCalicoSelector("has(app)").empty).toBe(false);
  });

  test("a selector that needs the stranger pod's own labels answers null, whatever its negations", () => {
    const unknown: LabelLookup = () => UNKNOWN_LABEL;
    expect(parseCalicoSelector("!has(app)").test(unknown)).toBeNull();
    expect(parseCalicoSelector("app not in {'web'}").test(unknown)).toBeNull();
    expect(parseCalicoSelector("has(app) && global()").test(unknown)).toBe(false);
  });

  test("global() is flagged: it selects non-namespaced resources, never pods", () => {
    expect(parseCalicoSelector("global()").global).toBe(true);
    expect(parseCalicoSelector("has(app)").global).toBe(false);
  });
});

describe("Calico selector parse errors name the position", () => {
  const rows = [
    { selector: "app = 'web'", position: 4, message: "expected ==" },
    { selector: "app == web", position: 7, message: "expected a quoted string" },
    { selector: "app == 'web", position: 7, message: "unterminated string" },
    { selector: "app && has(db)", position: 4, message: 'expected an operator after label "app"' },
    { selector: "app web", position: 4, message: 'unexpected characters after label "app", expected an operator' },
    { selector: "has(app", position: 7, message: "no closing ) after has(" },
    { selector: "has()", position: 4, message: "no label name in has(" },
    { selector: "(app == 'web'", position: 13, message: "expected )" },
    { selector: "app in {'a' 'b'}", position: 12, message: "expected }" },
    { selector: "app in 'a'", position: 7, message: "expected {" },
    { selector: "app == 'web' &&", position: 15, message: "unexpected end of selector" },
    { selector: "app == 'web' & tier == 'x'", position: 13, message: "expected &&" },
    { selector: "app == 'web' | tier == 'x'", position: 13, message: "expected ||" },
    { selector: "app == 'web' tier == 'x'", position: 13, message: "unexpected content at end of selector" },
    { selector: "app starts 'x'", position: 11, message: 'expected "starts with"' },
    { selector: "app not 'x'", position: 8, message: 'expected "not in"' },
    { selector: "@app == 'x'", position: 0, message: 'unexpected character "@"' },
    { selector: "&& has(app)", position: 0, message: "expected a label, has(), all(), ! or (" },
    { selector: ")", position: 0, message: "expected a label, has(), all(), ! or (" },
  ];
  test.each(rows)("$selector → $message", ({ selector, position, message }) => {
    let caught: unknown;
    try {
      parseCalicoSelector(selector);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CalicoSelectorError);
    const error = caught as CalicoSelectorError;
    expect({ position: error.position, message: error.message }).toEqual({ position, message: `${message} at position ${position + 1}` });
  });
});
