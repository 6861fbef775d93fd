import { z } from "zod";
import { idNumber } from "@/lib/api/bounds";
import { withAuth } from "@/lib/auth/with-auth";
import { revokeWaiver, waiveFinding, waiverInput } from "@/lib/findings/finding-actions";

const id = z.object({ id: idNumber("a finding id") });

export const POST = withAuth(waiverInput.extend(id.shape), { permission: "finding:waive", body: true }, ({ db, query, user }) =>
  waiveFinding(db, { id: query.id, reason: query.reason, expiresAt: query.expiresAt, actor: user.email }),
);

export const DELETE = withAuth(id, { permission: "finding:waive" }, async ({ db, query, user }) => {
  await revokeWaiver(db, { id: query.id, actor: user.email });
  return { ok: true };
});
