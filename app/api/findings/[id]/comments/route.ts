import { idNumber } from "@/lib/api/bounds";
import { withAuth } from "@/lib/auth/with-auth";
import { commentInput, commentOnFinding } from "@/lib/findings/finding-actions";

const input = commentInput.extend({ id: idNumber("a finding id") });

export const POST = withAuth(input, { permission: "finding:comment", body: true }, async ({ db, query, user }) => {
  await commentOnFinding(db, { id: query.id, text: query.text, actor: user.email });
  return { ok: true };
});
