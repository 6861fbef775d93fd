import { InvalidArgumentError } from "commander";
// The functions themselves, not the package's index of some 300 modules: every command's flags load this.
import { isValid } from "date-fns/isValid";
import { parseISO } from "date-fns/parseISO";
import { MAX_CAPTURE_CLOCK_SKEW_MS } from "@/lib/collector/capture-time";

/** An ISO 8601 date or date-time; a bare date means 00:00 UTC of that day. */
export function parseIsoTime(value: string): Date {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const date = parseISO(text);
  if (!isValid(date) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new InvalidArgumentError(`"${value}" is not an ISO 8601 date or date-time (e.g. 2026-03-01 or 2026-03-01T06:00:00Z)`);
  }
  return date;
}

/** A capture time: an ISO time no more than a few minutes ahead of this machine's clock. */
export function parseCaptureTime(value: string): Date {
  const date = parseIsoTime(value);
  const aheadMs = date.getTime() - Date.now();
  if (aheadMs > MAX_CAPTURE_CLOCK_SKEW_MS) {
    throw new InvalidArgumentError(
      `"${value}" is in the future (more than ${MAX_CAPTURE_CLOCK_SKEW_MS / 60_000} minutes ahead of this machine's clock, ${new Date().toISOString()}); give the time the files were exported`,
    );
  }
  return date;
}

export function parsePositiveInteger(max: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1 || number > max) {
      throw new InvalidArgumentError(`"${value}" is not a whole number from 1 to ${max}`);
    }
    return number;
  };
}

export function parseInteger(value: string): number {
  const number = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(number)) throw new InvalidArgumentError(`"${value}" is not a whole number`);
  return number;
}
