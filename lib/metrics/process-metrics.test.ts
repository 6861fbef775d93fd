import { describe, expect, test } from "vitest";
import { checkMetricsAccess } from "./metrics-token";
import { routeLabel } from "./process-metrics";

describe("routeLabel: a bounded route label", () => {
  test.each([
    ["/", 200, "/"],
    ["/clusters", 200, "/clusters"],
    ["/clusters/42", 200, "/clusters/:id"],
    ["/api/findings/17/assign", 200, "/api/findings/:id/assign"],
    ["/api/clusters/%2Fsubscriptions%2Fabc", 200, "/api/clusters/:id"],
    ["/api/auth/sign-in/email", 200, "/api/auth/sign-in/email"],
    ["/_next/static/chunks/app-1234.js", 200, "/_next"],
    ["/wp-admin/setup.php", 404, "(unmatched)"],
    ["/a/b/c/d/e/f/g", 200, "/a/b/c/d/e"],
    ["/Clusters", 200, "/:id"],
  ])("%s (%i) is %s", (path, status, label) => {
    expect(routeLabel(path, status)).toBe(label);
  });
});

describe("checkMetricsAccess", () => {
  const token = "0123456789abcdef0123456789abcdef";
  test.each([
    [null, "unauthorized"],
    ["", "unauthorized"],
    [`Bearer ${token}`, "granted"],
    [`bearer ${token}`, "granted"],
    [`Bearer  ${token} `, "granted"],
    [`Bearer ${token}0`, "unauthorized"],
    [`Bearer ${token.slice(1)}`, "unauthorized"],
    [`Basic ${token}`, "unauthorized"],
    [token, "unauthorized"],
    [`Bearer ${token} ${token}`, "unauthorized"],
  ])("%j → %s", (header, access) => {
    expect(checkMetricsAccess(header, token)).toBe(access);
  });

  test("without a configured token the endpoint is disabled, whatever is presented", () => {
    expect(checkMetricsAccess(`Bearer ${token}`, undefined)).toBe("disabled");
  });
});
