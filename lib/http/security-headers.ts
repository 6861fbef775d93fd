/**
 * The Content-Security-Policy of every page: scripts only from our origin or carrying this
 * request's nonce (Next.js puts it on its own scripts), never inline code an attacker could
 * inject; no plugins, no framing, forms and connections to our origin only.
 */
export function buildContentSecurityPolicy(nonce: string, options: { dev: boolean }): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts a nonce-carrying script loads are trusted; 'self' is for old browsers.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    // React renders style attributes (charts, widths); styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self' https://login.microsoftonline.com",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh nonce per response: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export const HSTS_MAX_AGE_SECONDS = 31_536_000; // one year

/** HSTS only when people open us over https: sent over http it would be ignored, or lock out an http-only install. */
export function strictTransportSecurity(publicUrl: string | undefined): string | null {
  return publicUrl?.startsWith("https://") ? `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains` : null;
}
