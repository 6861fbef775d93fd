import { formatDistanceToNowStrict } from "date-fns";

const integer = new Intl.NumberFormat("en-US");

export function formatInteger(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : integer.format(value);
}

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : `${value.toFixed(1)}%`;
}

/** Hours as hours below two days, days above, one decimal. */
export function formatHours(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  return value < 48 ? `${value.toFixed(1)} h` : `${(value / 24).toFixed(1)} d`;
}

export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return "–";
  const date = typeof value === "string" ? new Date(value) : value;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function formatDay(value: string): string {
  return new Date(`${value.slice(0, 10)}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}

export function formatAge(value: string | Date): string {
  return formatDistanceToNowStrict(typeof value === "string" ? new Date(value) : value, { addSuffix: true });
}
