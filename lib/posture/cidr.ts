// CIDR parsing for NetworkPolicy ipBlocks: IPv4 containment, IPv6 only as far as "is it the whole world".

export interface Ipv4Cidr {
  family: 4;
  /** Address as an unsigned 32-bit integer. */
  address: number;
  prefix: number;
}

export interface Ipv6Cidr {
  family: 6;
  prefix: number;
}

export type Cidr = Ipv4Cidr | Ipv6Cidr;

const IPV4_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const PREFIX_PATTERN = /^\d{1,3}$/;
const HEX_GROUP_PATTERN = /^[0-9a-fA-F]{1,4}$/;

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

function isIpv6Address(text: string): boolean {
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groups: string[] = [];
  for (const half of halves) {
    if (half !== "") groups.push(...half.split(":"));
  }
  let count = 0;
  for (let i = 0; i < groups.length; i += 1) {
    const group = groups[i] as string;
    if (i === groups.length - 1 && group.includes(".")) {
      if (parseIpv4(group) === null) return false;
      count += 2;
    } else if (HEX_GROUP_PATTERN.test(group)) {
      count += 1;
    } else {
      return false;
    }
  }
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** Parses "address/prefix"; anything else (a bare address, a zone id, garbage) is null. */
export function parseCidr(value: unknown): Cidr | null {
  if (typeof value !== "string") return null;
  const slash = value.indexOf("/");
  if (slash < 0) return null;
  const addressText = value.slice(0, slash);
  const prefixText = value.slice(slash + 1);
  if (!PREFIX_PATTERN.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (addressText.includes(":")) {
    return prefix <= 128 && isIpv6Address(addressText) ? { family: 6, prefix } : null;
  }
  const address = parseIpv4(addressText);
  return address !== null && prefix <= 32 ? { family: 4, address, prefix } : null;
}

/** A /0 block covers every address of its family, whatever its host bits say. */
export function isWorldCidr(cidr: Cidr): boolean {
  return cidr.prefix === 0;
}

export function ipv4CidrContains(cidr: Ipv4Cidr, address: number): boolean {
  if (cidr.prefix === 0) return true;
  const shift = 32 - cidr.prefix;
  return Math.floor(cidr.address / 2 ** shift) === Math.floor(address / 2 ** shift);
}

/** 169.254.169.254, the Azure Instance Metadata Service. */
export const IMDS_ADDRESS = parseIpv4("169.254.169.254") as number;
export const IMDS_CIDR = "169.254.169.254/32";
