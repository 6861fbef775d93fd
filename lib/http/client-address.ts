import { BlockList, isIP } from "node:net";

/**
 * Which proxies may say who the client is (BULKHEAD_TRUSTED_PROXIES): none (the socket's peer is
 * the client), a number of hops in front of the server, or the proxies' addresses and ranges.
 */
export type TrustedProxies =
  | { kind: "none" }
  | { kind: "hops"; count: number }
  | { kind: "ranges"; list: BlockList; text: string[] };

export const NO_TRUSTED_PROXIES: TrustedProxies = Object.freeze({ kind: "none" });

/** More hops than this is a misconfiguration, not a network. */
export const MAX_TRUSTED_HOPS = 10;

/** IPv4-mapped IPv6 (`::ffff:192.0.2.1`, what a dual-stack socket reports) is the IPv4 address. */
export function normalizeAddress(value: string | undefined | null): string | null {
  if (!value) return null;
  let text = value.trim();
  // `[2001:db8::1]:443` and `192.0.2.1:8080` appear in some proxies' headers.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(":"));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(text);
  if (mapped) text = mapped[1];
  const family = isIP(text);
  if (family === 0) return null;
  return family === 6 ? text.toLowerCase() : text;
}

/**
 * Parses BULKHEAD_TRUSTED_PROXIES: empty for none, a whole number of hops, or a comma-separated
 * list of addresses and CIDR ranges. Throws an Error whose message says what is wrong.
 */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const text = value?.trim() ?? "";
  if (text === "" || text === "0" || text.toLowerCase() === "none") return NO_TRUSTED_PROXIES;
  if (/^\d+$/.test(text)) {
    const count = Number(text);
    if (count > MAX_TRUSTED_HOPS) throw new Error(`must be at most ${MAX_TRUSTED_HOPS} hops`);
    return { kind: "hops", count };
  }
  const list = new BlockList();
  const entries = text.split(",").map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, prefixText, extra] = entry.split("/");
    const normalized = normalizeAddress(address);
    if (!normalized || extra !== undefined) throw new Error(`"${entry}" is not an IP address or CIDR range`);
    const family = isIP(normalized) === 4 ? "ipv4" : "ipv6";
    if (prefixText === undefined) {
      list.addAddress(normalized, family);
      continue;
    }
    const prefix = Number(prefixText);
    if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === "ipv4" ? 32 : 128)) throw new Error(`"${entry}" has an invalid prefix length`);
    list.addSubnet(normalized, prefix, family);
  }
  return { kind: "ranges", list, text: entries };
}

function isTrusted(address: string, trusted: Extract<TrustedProxies, { kind: "ranges" }>): boolean {
  return trusted.list.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
}

/** The entries of X-Forwarded-For headers, left (first proxy's client) to right (last proxy's peer). */
function forwardedChain(forwardedFor: string | readonly string[] | null | undefined): string[] {
  if (!forwardedFor) return [];
  const values = typeof forwardedFor === "string" ? [forwardedFor] : forwardedFor;
  return values.flatMap((value) => value.split(",")).map((entry) => entry.trim()).filter(Boolean);
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy; then the right-most
 * X-Forwarded-For entry that no trusted proxy wrote. Entries left of it are the client's own words
 * and are never read, so rotating them changes nothing. Null when the socket address is unknown.
 */
export function resolveClientAddress(
  socketAddress: string | null | undefined,
  forwardedFor: string | readonly string[] | null | undefined,
  trusted: TrustedProxies,
): string | null {
  const peer = normalizeAddress(socketAddress);
  if (!peer || trusted.kind === "none") return peer;
  const chain = forwardedChain(forwardedFor);
  if (trusted.kind === "hops") {
    // The peer is hop 1; each further trusted hop wrote the entry right of the one it received.
    let client = peer;
    for (let hop = 1; hop < trusted.count + 1; hop++) {
      const entry = chain[chain.length - hop];
      if (entry === undefined) return client;
      const address = normalizeAddress(entry);
      // A trusted proxy writes addresses; anything else means the chain is not what we were told.
      if (!address) return client;
      client = address;
    }
    return client;
  }
  if (!isTrusted(peer, trusted)) return peer;
  let client = peer;
  for (let index = chain.length - 1; index >= 0; index--) {
    const address = normalizeAddress(chain[index]);
    if (!address) return client;
    client = address;
    if (!isTrusted(address, trusted)) return address;
  }
  return client;
}

/**
 * The key a client is counted under: its address, or its /64 for IPv6 (one subscriber's prefix;
 * counting single IPv6 addresses would let a client rotate through 2^64 of them).
 */
export function addressBucket(address: string | null): string {
  if (!address) return "unknown";
  if (isIP(address) !== 6) return address;
  return `${expandIpv6(address).slice(0, 4).join(":")}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head, tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = address.includes("::") ? (tail ? tail.split(":") : []) : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4 beyond the mapped form) counts as two groups.
  const expandTail = (groups: string[]) => groups.flatMap((group) => (group.includes(".") ? ipv4ToGroups(group) : [group]));
  const l = expandTail(left);
  const r = expandTail(right);
  const missing = 8 - l.length - r.length;
  return [...l, ...Array.from({ length: Math.max(0, missing) }, () => "0"), ...r].map((group) => (parseInt(group, 16) || 0).toString(16));
}

function ipv4ToGroups(ipv4: string): string[] {
  const [a, b, c, d] = ipv4.split(".").map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
