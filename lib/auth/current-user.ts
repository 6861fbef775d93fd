import "server-only";
import { headers as nextHeaders } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "./auth";
import { can, isRole, type Permission, type Role } from "./permissions";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** The signed-in user of a request, or null; an unknown role is treated as signed out. */
export async function getCurrentUser(headers: Headers): Promise<CurrentUser | null> {
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const role = (session.user as { role?: unknown }).role;
  if (!isRole(role)) return null;
  return { id: session.user.id, email: session.user.email, name: session.user.name, role };
}

/** For pages and server actions: the user, or a redirect to sign-in; a missing permission is a 403 page. */
export async function requireUser(permission: Permission = "posture:read", next = "/"): Promise<CurrentUser> {
  const user = await getCurrentUser(await nextHeaders());
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(next)}`);
  if (!can(user.role, permission)) redirect("/forbidden");
  return user;
}
