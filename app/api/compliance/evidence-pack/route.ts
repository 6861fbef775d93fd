import { evidencePackQuery, toComplianceScope } from "@/lib/api/compliance-params";
import { withAuth } from "@/lib/auth/with-auth";
import { buildEvidencePack } from "@/lib/compliance/evidence-pack/build-evidence-pack";
import { logger } from "@/lib/logger";

/** The evidence pack as one ZIP download, for those who may export (it holds the per-cluster CSV). */
export const GET = withAuth(evidencePackQuery, { permission: "report:export" }, async ({ db, query, user }) => {
  const pack = await buildEvidencePack(db, { framework: query.framework, day: query.asOf, scope: toComplianceScope(query), by: query.by });
  // Who took which pack is kept in the log, not in the pack: the pack's bytes depend on its request only.
  logger.info({ user: user.email, pack: pack.fileName, bytes: pack.zip.byteLength }, "evidence pack downloaded");
  return new Response(Buffer.from(pack.zip), {
    headers: {
      "Cache-Control": "no-store",
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${pack.fileName}"`,
      "X-Content-Type-Options": "nosniff",
    },
  });
});
