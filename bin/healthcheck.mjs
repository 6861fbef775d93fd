#!/usr/bin/env node
// The container image's HEALTHCHECK: exit 0 when the web server on PORT (default 3000) answers
// /healthz with 200 within 3 s, 1 otherwise. Node's own fetch: the image has no curl.
const port = process.env.PORT || "3000";
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
