import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { isEntraEnabled } from "@/lib/auth/auth";
import { getCurrentUser } from "@/lib/auth/current-user";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "@/lib/auth/local-users";
import { safeNextPath } from "@/lib/auth/safe-next";
import { getEnv } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeNextPath((await searchParams).next);
  if (await getCurrentUser(await headers())) redirect(next);
  const demo = getEnv().BULKHEAD_DEMO_ACCOUNTS;
  return (
    <main className="mx-auto grid min-h-screen max-w-md content-center px-6 py-12">
      <div className="rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
          <span aria-hidden className="grid h-7 w-7 place-items-center rounded-md bg-slate-900 text-xs font-bold text-white">BH</span>
          Bulkhead
        </p>
        <h1 className="mt-6 text-2xl font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-slate-600">The posture of your AKS estate is a map of its weak points: it is shown to signed-in people only.</p>
        <div className="mt-6">
          <SignInForm next={next} entraEnabled={isEntraEnabled()} demoAccounts={demo ? DEMO_ACCOUNTS : []} demoPassword={demo ? DEMO_PASSWORD : undefined} />
        </div>
      </div>
    </main>
  );
}
