/** Longer than any link the app makes; a longer `next` is refused rather than echoed into a header. */
export const MAX_NEXT_PATH_LENGTH = 2_048;

// A stand-in origin: what matters is whether the value resolves to somewhere else.
const OWN_ORIGIN = "https://bulkhead.invalid";

// C0 and C1 controls (browsers drop tabs and newlines from URLs: "/\t/evil" becomes "//evil"),
// and backslashes (browsers read "/\evil" as "//evil").
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\\]/;

/**
 * Where to go after sign-in: a path on this site, or "/". Accepted only when it starts with "/",
 * holds no control character or backslash (also not percent-encoded), and, read as a URL against
 * our own origin, stays on that origin. The result is the URL's own serialisation: non-ASCII
 * characters come back percent-encoded, so it is always safe in a Location header.
 */
export function safeNextPath(value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_NEXT_PATH_LENGTH) return "/";
  if (!value.startsWith("/") || value.startsWith("//") || UNSAFE_CHARACTER.test(value)) return "/";
  if (UNSAFE_CHARACTER.test(decodeOnce(value)) || /^\/\//.test(decodeOnce(value))) return "/";
  let url: URL;
  try {
    url = new URL(value, OWN_ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== OWN_ORIGIN || url.username || url.password) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") || path.length > MAX_NEXT_PATH_LENGTH ? "/" : path;
}

/** Percent-decoding that never throws ("%E0%A4%A" is left as it is). */
function decodeOnce(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
