// The subscription and owner filters' rules, shared by the routes' schema (./params) and the CLI's
// flags, which check them without loading the schema library on every start.

export const SUBSCRIPTION_ID_PATTERN = /^[0-9a-fA-F-]{1,64}$/;
export const OWNER_MAX_LENGTH = 256;

/** A subscription filter as the routes read it (trimmed, lower case), or null when it is not one. */
export function readSubscriptionFilter(value: string): string | null {
  const trimmed = value.trim();
  return SUBSCRIPTION_ID_PATTERN.test(trimmed) ? trimmed.toLowerCase() : null;
}

/** An owner filter as the routes read it (trimmed, 1 to 256 characters), or null when it is not one. */
export function readOwnerFilter(value: string): string | null {
  const trimmed = value.trim();
  return trimmed.length >= 1 && trimmed.length <= OWNER_MAX_LENGTH ? trimmed : null;
}
