import { Card, CardHeader } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

/**
 * Admin settings: who can sign in with which role, and the remediation SLA per control. The two
 * cards come in as slots, each streamed on its own by the page.
 */
export function SettingsView({ users, sla, trail }: { users: React.ReactNode; sla: React.ReactNode; trail: React.ReactNode }) {
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
        <a href="#account-trail-title" className="font-medium text-brand-700 hover:underline">
          Trail
        </a>
      </nav>
      {users}
      {sla}
      {trail}
    </div>
  );
}

/** A settings card's place while its data loads. */
export function SettingsCardSkeleton({ id, title, rows }: { id: string; title: string; rows: number }) {
  return (
    <Card aria-labelledby={id}>
      <CardHeader id={id} title={title} />
      <div className="space-y-2" aria-hidden>
        {Array.from({ length: rows }, (_, index) => (
          <Skeleton key={index} className="h-10 w-full" label={`Loading ${title.toLowerCase()}`} />
        ))}
      </div>
    </Card>
  );
}
