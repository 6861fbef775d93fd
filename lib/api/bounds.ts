import { z } from "zod";

/** Ids are Postgres `integer`s: a larger number would fail in the database, not in validation. */
export const MAX_ID = 2_147_483_647;

/** Beyond any page a list can have; a larger page number is a bad request. */
export const MAX_PAGE = 100_000;

/** Dates the store can mean: before 2000 there was no AKS, after 2100 is not a plan. */
export const EARLIEST_DATE = new Date("2000-01-01T00:00:00Z");
export const LATEST_DATE = new Date("2100-01-01T00:00:00Z");

const DATE_RANGE_MESSAGE = `must be from ${EARLIEST_DATE.toISOString().slice(0, 10)} to ${LATEST_DATE.toISOString().slice(0, 10)}`;

export function isWithinDateBounds(date: Date): boolean {
  return date.getTime() >= EARLIEST_DATE.getTime() && date.getTime() < LATEST_DATE.getTime();
}

/** A positive id as a JSON number or as URL text. */
export const idNumber = (what = "an id") =>
  z.coerce
    .number({ error: `must be ${what} (a whole number from 1)` })
    .int(`must be ${what} (a whole number from 1)`)
    .min(1, `must be ${what} (a whole number from 1)`)
    .max(MAX_ID, `must be ${what} (at most ${MAX_ID})`);

/** An ISO 8601 date-time with an offset, within the dates the store can mean. */
export const boundedDateTime = z.iso
  .datetime({ offset: true, error: "must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T06:00:00Z" })
  .transform((value) => new Date(value))
  .refine(isWithinDateBounds, DATE_RANGE_MESSAGE);

/** A day, YYYY-MM-DD, within the same bounds. */
export const boundedDay = z.iso
  .date({ error: "must be a day as YYYY-MM-DD, e.g. 2026-03-01" })
  .refine((value) => isWithinDateBounds(new Date(`${value}T00:00:00Z`)), DATE_RANGE_MESSAGE);
