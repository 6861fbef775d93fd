import { evidencePackQuery, toComplianceScope } from "@/lib/api/compliance-params";
import { withAuth } from "@/lib/auth/with-auth";
import { openEvidencePack } from "@/lib/compliance/evidence-pack/build-evidence-pack";
import { streamOf } from "@/lib/http/async-chunks-stream";
import { logger } from "@/lib/logger";

/**
 * The evidence pack as one ZIP download, for those who may export (it holds the per-cluster CSV).
 * Streamed: a bad request is a JSON error before the first byte; a failure while streaming breaks the
 * download (docs/compliance.md "The evidence pack").
 */
export const GET = withAuth(evidencePackQuery, { permission: "report:export" }, async ({ db, query, user }) => {
  const pack = await openEvidencePack(db, { framework: query.framework, day: query.asOf, scope: toComplianceScope(query), by: query.by });
  const body = streamOf(pack.chunks, {
    // Who took which pack is kept in the log, not in the pack: the pack's bytes depend on its request only.
    end: (bytes) => logger.info({ user: user.email, pack: pack.fileName, bytes }, "evidence pack downloaded"),
    error: (error, bytes) => logger.error({ user: user.email, pack: pack.fileName, bytes, err: error }, "evidence pack failed while streaming; the download was broken off"),
  });
  return new Response(body, {
    headers: {
      "Cache-Control": "no-store",
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${pack.fileName}"`,
      "X-Content-Type-Options": "nosniff",
    },
  });
});
