import { describe, expect, test } from "vitest";
import { can, permissionsOf, type Permission } from "./permissions";

describe("permission matrix", () => {
  const table: [string, Permission, boolean][] = [
    ["viewer", "posture:read", true],
    ["viewer", "report:export", false],
    ["viewer", "finding:assign", false],
    ["finops", "report:export", true],
    ["finops", "finding:waive", false],
    ["security", "finding:assign", true],
    ["security", "finding:comment", true],
    ["security", "finding:waive", true],
    ["security", "collection:run", false],
    ["security", "user:manage", false],
    ["admin", "collection:run", true],
    ["admin", "user:manage", true],
    ["admin", "settings:manage", true],
    ["admin", "history:reevaluate", true],
    ["security", "history:reevaluate", false],
    ["Admin", "posture:read", false],
    ["", "posture:read", false],
  ];
  test.each(table)("%s may %s: %s", (role, permission, expected) => {
    expect(can(role, permission)).toBe(expected);
  });

  test("each role has strictly more than the one below it", () => {
    const sizes = ["viewer", "finops", "security", "admin"].map((role) => permissionsOf(role).length);
    expect(sizes).toEqual([1, 2, 5, 9]);
  });
});
