import { expect, test } from "vitest";
import { describeRunFailure } from "./describe-run-failure";

test.each([
  [
    "Nothing could be collected: ChainedTokenCredential authentication failed.\nCredentialUnavailableError: EnvironmentCredential is unavailable. ...\nManagedIdentityCredential: ...",
    "No Azure credentials",
    /docs\/collection\.md/,
  ],
  ["Nothing could be collected: (AuthorizationFailed) The client 'x' does not have authorization to perform action", "Azure refused access to the subscriptions", /Reader/],
  ["Nothing could be collected: getaddrinfo ENOTFOUND management.azure.com", "Azure could not be reached", /BULKHEAD_ARM_ENDPOINT/],
  ["The run stopped before it completed (its process ended); nothing of it was kept.", "The run's process stopped before it finished", /run it again/],
  ["Cancelled by admin@example.com before it wrote anything; nothing of it was kept.", "Stopped by an admin before it wrote anything", /nothing of it was kept/],
])("%s → one line with the cause and what to do", (message, cause, action) => {
  const summary = describeRunFailure(message);
  expect(summary.cause).toBe(cause);
  expect(summary.action).toMatch(action);
  expect(summary.detail).toBe(message);
});

test("an unknown cause is its first line, cut at 160 characters; the whole text stays in the detail", () => {
  const long = `Something odd: ${"x".repeat(300)}\nsecond line`;
  const summary = describeRunFailure(long);
  expect(summary.cause).toHaveLength(160);
  expect(summary.cause.endsWith("…")).toBe(true);
  expect(summary.action).toBe("see the details");
  expect(describeRunFailure("short cause").action).toBeNull();
});
