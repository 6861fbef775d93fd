import "server-only";
import type { Role } from "@/lib/auth/permissions";
import type { Database } from "@/lib/db/client";

/** One account as the Settings page lists it. */
export interface UserListItem {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  /** Sign-in methods: "credential" (password), "microsoft" (Entra ID). */
  signIn: string[];
  /** When an admin disabled it; null while it may sign in. */
  disabledAt: string | null;
}

/** Every account, by e-mail, with its role and how it signs in (never a password or token). */
export async function listUsers(db: Database): Promise<UserListItem[]> {
  const users = await db.prisma.user.findMany({
    orderBy: { email: "asc" },
    select: { id: true, email: true, name: true, role: true, createdAt: true, disabledAt: true, accounts: { select: { providerId: true } } },
  });
  return users.map((user) => ({
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role as Role,
    createdAt: user.createdAt.toISOString(),
    signIn: user.accounts.map((account) => account.providerId),
    disabledAt: user.disabledAt?.toISOString() ?? null,
  }));
}
