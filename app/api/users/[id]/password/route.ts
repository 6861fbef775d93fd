import { z } from "zod";
import { withAuth } from "@/lib/auth/with-auth";
import { resetAccountPassword } from "@/lib/auth/accounts";

const input = z.object({ id: z.string().min(1).max(64, "must be an account id") });

/** A new generated password for a local account, shown once; its sessions end. */
export const POST = withAuth(input, { permission: "user:manage", body: true }, ({ db, query, user }) => resetAccountPassword(db, { id: query.id }, user.email));
