import { describe, expect, test } from "vitest";
import { addressBucket, normalizeAddress, parseTrustedProxies, resolveClientAddress } from "./client-address";

describe("the client's address", () => {
  const none = parseTrustedProxies(undefined);
  const oneHop = parseTrustedProxies("1");
  const twoHops = parseTrustedProxies("2");
  const ranges = parseTrustedProxies("10.0.0.0/8, 192.0.2.7, fd00::/8");

  test.each([
    // [socket, X-Forwarded-For, trusted, client]
    ["198.51.100.1", "203.0.113.9", none, "198.51.100.1"],
    ["::ffff:198.51.100.1", undefined, none, "198.51.100.1"],
    ["10.0.0.2", "203.0.113.9", oneHop, "203.0.113.9"],
    ["10.0.0.2", "1.1.1.1, 203.0.113.9", oneHop, "203.0.113.9"],
    ["10.0.0.2", undefined, oneHop, "10.0.0.2"],
    ["10.0.0.2", "1.1.1.1, 203.0.113.9, 10.0.0.3", twoHops, "203.0.113.9"],
    ["10.0.0.2", "203.0.113.9", twoHops, "203.0.113.9"],
    ["10.0.0.2", "not-an-ip", oneHop, "10.0.0.2"],
    // CIDR list: the right-most entry no trusted proxy wrote.
    ["10.0.0.2", "1.1.1.1, 203.0.113.9, 10.1.2.3", ranges, "203.0.113.9"],
    ["10.0.0.2", "1.1.1.1, 203.0.113.9, 192.0.2.7", ranges, "203.0.113.9"],
    ["10.0.0.2", ["1.1.1.1", "203.0.113.9"], ranges, "203.0.113.9"],
    ["198.51.100.1", "203.0.113.9", ranges, "198.51.100.1"],
    ["10.0.0.2", "10.0.0.9", ranges, "10.0.0.9"],
    ["10.0.0.2", "garbage, 10.0.0.9", ranges, "10.0.0.9"],
    ["fd00::1", "2001:db8::5", ranges, "2001:db8::5"],
    ["10.0.0.2", "[2001:db8::5]:4711", ranges, "2001:db8::5"],
    ["10.0.0.2", "203.0.113.9:4711", ranges, "203.0.113.9"],
  ] as const)("socket %s, X-Forwarded-For %j → %s", (socket, forwarded, trusted, expected) => {
    expect(resolveClientAddress(socket, forwarded as string | string[] | undefined, trusted)).toBe(expected);
  });

  test("an unknown socket address is unknown, whatever the header says", () => {
    expect(resolveClientAddress(undefined, "203.0.113.9", oneHop)).toBeNull();
  });

  test.each(["", "0", "none"])("%j trusts nobody", (value) => {
    expect(parseTrustedProxies(value)).toEqual({ kind: "none" });
  });

  test.each(["11", "10.0.0.0/33", "fd00::/129", "10.0.0/8", "example.com", "10.0.0.0/8/1", "1.2.3.4/x"])("%j is refused", (value) => {
    expect(() => parseTrustedProxies(value)).toThrow();
  });

  test("IPv6 clients are counted per /64; IPv4 per address", () => {
    expect(addressBucket("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8:1:2:bbbb::9")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("198.51.100.1")).toBe("198.51.100.1");
    expect(addressBucket(null)).toBe("unknown");
    expect(normalizeAddress("2001:DB8::1")).toBe("2001:db8::1");
  });
});
