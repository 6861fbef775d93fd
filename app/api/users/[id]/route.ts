import { z } from "zod";
import { withAuth } from "@/lib/auth/with-auth";
import { changeAccountRole, removeAccount, setAccountDisabled } from "@/lib/auth/accounts";
import { ROLES } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";

const id = z.object({ id: z.string().min(1).max(64, "must be an account id") });
const change = id.extend({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional() });

/** Changes an account's role, or disables or enables it; each change ends its sessions and goes to the admin trail. */
export const PATCH = withAuth(change, { permission: "user:manage", body: true }, async ({ db, query, user }) => {
  if (query.role === undefined && query.disabled === undefined) throw new AppError("bad-request", "role: give a role or disabled");
  const result: Record<string, unknown> = {};
  if (query.role !== undefined) Object.assign(result, await changeAccountRole(db, { id: query.id, role: query.role }, user.email));
  if (query.disabled !== undefined) Object.assign(result, await setAccountDisabled(db, { id: query.id, disabled: query.disabled }, user.email));
  return result;
});

/** Removes an account (not one's own, not the last enabled admin). */
export const DELETE = withAuth(id, { permission: "user:manage", body: true }, ({ db, query, user }) => removeAccount(db, { id: query.id }, user.email));
