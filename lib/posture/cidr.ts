// Addresses and CIDR blocks of both families, as the policy engines read them (docs/design.md §4.2).
// Both families are held as bigint ranges so that containment and "does this list cover a whole
// family" are the same arithmetic for IPv4 and IPv6.

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  value: bigint;
}

export interface Cidr {
  family: IpFamily;
  prefix: number;
  /** First and last address of the block (host bits ignored, as the engines do). */
  start: bigint;
  end: bigint;
}

const IPV4_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const PREFIX_PATTERN = /^\d{1,3}$/;
const HEX_GROUP_PATTERN = /^[0-9a-fA-F]{1,4}$/;
const FAMILY_BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** Parses dotted-quad IPv4; leading zeros are refused, as Go's net package does. */
export function parseIpv4(text: string): number | null {
  const match = IPV4_PATTERN.exec(text);
  if (!match) return null;
  let value = 0;
  for (let i = 1; i <= 4; i += 1) {
    const part = match[i] as string;
    if (part.length > 1 && part.startsWith("0")) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parts: bigint[][] = [];
  let count = 0;
  for (const half of halves) {
    const groups = half === "" ? [] : half.split(":");
    const values: bigint[] = [];
    for (let i = 0; i < groups.length; i += 1) {
      const group = groups[i] as string;
      if (i === groups.length - 1 && group.includes(".") && half === halves[halves.length - 1]) {
        const v4 = parseIpv4(group);
        if (v4 === null) return null;
        values.push(BigInt(Math.floor(v4 / 65536)), BigInt(v4 % 65536));
      } else if (HEX_GROUP_PATTERN.test(group)) {
        values.push(BigInt(parseInt(group, 16)));
      } else {
        return null;
      }
    }
    count += values.length;
    parts.push(values);
  }
  if (halves.length === 2 ? count > 7 : count !== 8) return null;
  const groups = halves.length === 2 ? [...(parts[0] ?? []), ...Array<bigint>(8 - count).fill(0n), ...(parts[1] ?? [])] : (parts[0] ?? []);
  let value = 0n;
  for (const group of groups) value = (value << 16n) | group;
  return value;
}

/** An IPv4 or IPv6 address in its usual text form; anything else is null. */
export function parseIpAddress(text: string): IpAddress | null {
  if (text.includes(":")) {
    const value = parseIpv6(text);
    return value === null ? null : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === null ? null : { family: 4, value: BigInt(value) };
}

function blockOf(address: IpAddress, prefix: number): Cidr {
  const bits = FAMILY_BITS[address.family];
  const hostBits = BigInt(bits - prefix);
  const start = (address.value >> hostBits) << hostBits;
  return { family: address.family, prefix, start, end: start + (1n << hostBits) - 1n };
}

const PARSED_LIMIT = 20_000;
const PARSED_STRICT = new Map<string, Cidr | null>();
const PARSED_BARE = new Map<string, Cidr | null>();

/**
 * Parses "address/prefix". `bareAddress` also takes a plain address as its /32 or /128, as Cilium's
 * toCIDR and Calico's nets do; Kubernetes ipBlocks require the prefix.
 */
export function parseCidr(value: unknown, options?: { bareAddress?: boolean }): Cidr | null {
  if (typeof value !== "string") return null;
  // Estates repeat a few blocks thousands of times; parsed blocks are shared (they are never mutated).
  const bare = options?.bareAddress === true;
  const memo = bare ? PARSED_BARE : PARSED_STRICT;
  const known = memo.get(value);
  if (known !== undefined) return known;
  const parsed = parseCidrText(value, bare);
  if (memo.size >= PARSED_LIMIT) memo.clear();
  memo.set(value, parsed);
  return parsed;
}

function parseCidrText(value: string, bareAddress: boolean): Cidr | null {
  const slash = value.indexOf("/");
  if (slash < 0) {
    if (!bareAddress) return null;
    const address = parseIpAddress(value);
    return address ? blockOf(address, FAMILY_BITS[address.family]) : null;
  }
  const prefixText = value.slice(slash + 1);
  if (!PREFIX_PATTERN.test(prefixText)) return null;
  const address = parseIpAddress(value.slice(0, slash));
  if (!address) return null;
  const prefix = Number(prefixText);
  if (prefix > FAMILY_BITS[address.family]) return null;
  return blockOf(address, prefix);
}

/** A /0 block covers every address of its family, whatever its host bits say. */
export function isWorldCidr(cidr: Cidr): boolean {
  return cidr.prefix === 0;
}

export function cidrContainsAddress(cidr: Cidr, address: IpAddress): boolean {
  return cidr.family === address.family && address.value >= cidr.start && address.value <= cidr.end;
}

export function cidrContainsCidr(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && inner.start >= outer.start && inner.end <= outer.end;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

/** Whether the union of the blocks covers every address of `family` (used for the outside stranger, §4.2). */
export function cidrsCoverFamily(blocks: readonly Cidr[], family: IpFamily): boolean {
  if (blocks.length === 1) return (blocks[0] as Cidr).family === family && (blocks[0] as Cidr).prefix === 0;
  const ranges = blocks.filter((block) => block.family === family).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const last = (1n << BigInt(FAMILY_BITS[family])) - 1n;
  let next = 0n;
  for (const range of ranges) {
    if (range.start > next) return false;
    if (range.end + 1n > next) next = range.end + 1n;
    if (next > last) return true;
  }
  return false;
}

/** 169.254.169.254, the Azure Instance Metadata Service. */
export const IMDS_CIDR = "169.254.169.254/32";
export const IMDS_ADDRESS = parseIpAddress("169.254.169.254") as IpAddress;
