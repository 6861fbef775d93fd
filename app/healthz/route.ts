/**
 * Liveness: the process is up and serving. No database, no sign-in, nothing about the estate; an
 * orchestrator restarts the container when this stops answering. Readiness is /readyz.
 */
export async function GET(): Promise<Response> {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
