import { AppShell } from "@/components/layout/app-shell";
import { requireUser } from "@/lib/auth/current-user";
import { permissionsOf } from "@/lib/auth/permissions";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  // Every page needs a signed-in user; the proxy's cookie check is only the optimistic first step.
  const user = await requireUser();
  return <AppShell user={{ name: user.name, email: user.email, role: user.role, permissions: [...permissionsOf(user.role)] }}>{children}</AppShell>;
}
