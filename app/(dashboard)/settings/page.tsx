import type { Metadata } from "next";
import { SettingsView } from "@/components/settings/settings-view";
import { requireUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  // Admins only: anyone else is sent to /forbidden (the API checks every call again).
  await requireUser("user:manage", "/settings");
  return <SettingsView />;
}
