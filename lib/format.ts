import { formatDistanceToNowStrict } from "date-fns/formatDistanceToNowStrict";

const integer = new Intl.NumberFormat("en-US");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function formatInteger(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : integer.format(value);
}

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : `${value.toFixed(1)}%`;
}

/**
 * An amount in its billing currency, whole units ("EUR 12,345"): the code, not a symbol, so that
 * reports pasted elsewhere stay unambiguous. Missing (null, or several currencies) is "–", never 0.
 */
export function formatMoney(value: number | null | undefined, currency: string | null | undefined): string {
  if (value === null || value === undefined || !currency || !/^[A-Z]{3}$/.test(currency)) return "–";
  return `${currency} ${integer.format(Math.round(value))}`;
}

/** Hours as hours below two days, days above, one decimal. */
export function formatHours(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  return value < 48 ? `${value.toFixed(1)} h` : `${(value / 24).toFixed(1)} d`;
}

/** "10 Jun 2026" in UTC: the one way the product writes a date. */
export function formatDate(value: string | Date): string {
  const date = typeof value === "string" ? new Date(value) : value;
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** "10 Jun 2026, 02:02 UTC": the one way the product writes a time. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return "–";
  const date = typeof value === "string" ? new Date(value) : value;
  return `${formatDate(date)}, ${date.toISOString().slice(11, 16)} UTC`;
}

/**
 * The last day a due date or waiver covers, "through 27 Feb 2026": a due date is the end of its UTC
 * day (23:59:59.999), a waiver ends at 00:00 UTC the day after its last day; both read as that day.
 */
export function formatThrough(value: string | Date, options: { year?: boolean } = {}): string {
  const date = new Date((typeof value === "string" ? new Date(value) : value).getTime() - 1);
  const day = formatDate(date);
  return `through ${options.year === false ? day.slice(0, day.lastIndexOf(" ")) : day}`;
}

/** The UTC day (YYYY-MM-DD) a due date or waiver covers last, for date inputs. */
export function lastCoveredDay(value: string | Date): string {
  return new Date((typeof value === "string" ? new Date(value) : value).getTime() - 1).toISOString().slice(0, 10);
}

/** "9 Sep" for a UTC day (YYYY-MM-DD…), the year left out (charts and short ranges). */
export function formatDay(value: string): string {
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
}

export function formatAge(value: string | Date): string {
  return formatDistanceToNowStrict(typeof value === "string" ? new Date(value) : value, { addSuffix: true });
}
