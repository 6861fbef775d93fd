import type { Metadata } from "next";
import { Suspense } from "react";
import { SettingsCardSkeleton, SettingsView } from "@/components/settings/settings-view";
import { SlaCard } from "@/components/settings/sla-card";
import { AccountTrailCard, UsersCard } from "@/components/settings/users-card";
import { requireUser } from "@/lib/auth/current-user";
import { CONTROLS } from "@/lib/posture/control-catalogue";
import { Prefetch } from "../_loaders/prefetch";
import { slaSettingsQuery, usersQuery } from "../_loaders/server-queries";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  // Admins only: anyone else is sent to /forbidden (the API checks every call again).
  await requireUser("user:manage", "/settings");
  return (
    <SettingsView
      users={
        <Suspense fallback={<SettingsCardSkeleton id="users-title" title="Users" rows={4} />}>
          <Prefetch queries={[usersQuery()]}>
            <UsersCard />
          </Prefetch>
        </Suspense>
      }
      sla={
        <Suspense fallback={<SettingsCardSkeleton id="sla-title" title="Remediation SLA per control" rows={CONTROLS.length} />}>
          <Prefetch queries={[slaSettingsQuery()]}>
            <SlaCard />
          </Prefetch>
        </Suspense>
      }
      trail={<AccountTrailCard />}
    />
  );
}
