"use client";

import { SlaCard } from "./sla-card";
import { UsersCard } from "./users-card";

/** Admin settings: who can sign in with which role, and the remediation SLA per control. */
export function SettingsView() {
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Settings</h1>
        <p className="mt-1 text-sm text-slate-600">Accounts and roles, and how long each control&apos;s findings may stay open. Only admins see this page.</p>
      </div>
      <nav aria-label="Settings sections" className="flex gap-4 text-sm">
        <a href="#users-title" className="font-medium text-brand-700 hover:underline">
          Users
        </a>
        <a href="#sla-title" className="font-medium text-brand-700 hover:underline">
          SLA per control
        </a>
      </nav>
      <UsersCard />
      <SlaCard />
    </div>
  );
}
