import { describe, expect, test } from "vitest";
import { scopeParams } from "./params";
import { readOwnerFilter, readSubscriptionFilter } from "./scope-values";

// The CLI reads the filters without the routes' schema (cli/commands/evidence.ts); both must agree.
const zodOrNull = <T>(parsed: { success: boolean; data?: T }): T | null => (parsed.success && parsed.data ? parsed.data : null);

describe("the CLI's filter checks read what the routes' schema reads", () => {
  test.each([
    "3F2B8C1E-5D4A-4E7B-9C6F-1A2B3C4D5E6F",
    "  3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f  ",
    "abc-123",
    "-",
    "a".repeat(64),
    "a".repeat(65),
    "",
    "   ",
    "not a guid",
    "3f2b8c1e_5d4a",
    "3f2b\n8c1e",
  ])("subscription %j", (value) => {
    expect(readSubscriptionFilter(value)).toBe(zodOrNull(scopeParams.shape.subscription.safeParse(value)));
  });

  test.each(["team-a", "  team a  ", "x", "", "   ", "ü".repeat(256), "x".repeat(256), "x".repeat(257), ` ${"x".repeat(256)} `, "\tteam\n"])("owner %j", (value) => {
    expect(readOwnerFilter(value)).toBe(zodOrNull(scopeParams.shape.owner.safeParse(value)));
  });
});
