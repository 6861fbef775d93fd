"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/lib/auth/auth-client";

export interface DemoAccount {
  email: string;
  role: string;
  name: string;
}

const inputClass = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-slate-900 shadow-sm focus:border-brand-600";

export function SignInForm({ next, entraEnabled, demoAccounts, demoPassword }: { next: string; entraEnabled: boolean; demoAccounts: DemoAccount[]; demoPassword?: string }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function signIn(credentials: { email: string; password: string }) {
    setPending(true);
    setError(null);
    const result = await authClient.signIn.email(credentials);
    setPending(false);
    if (result.error) {
      setError(
        result.error.status === 429
          ? "Too many sign-in attempts. Wait a minute and try again."
          : "The e-mail address or password is not right.",
      );
      return;
    }
    router.replace(next);
    router.refresh();
  }

  return (
    <div className="space-y-6">
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          void signIn({ email, password });
        }}
      >
        <label className="block text-sm font-medium text-slate-800">
          E-mail
          <input className={inputClass} type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="block text-sm font-medium text-slate-800">
          Password
          <input className={inputClass} type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={pending} className="w-full rounded-md bg-slate-900 px-4 py-2 font-medium text-white hover:bg-slate-800 disabled:opacity-60">
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {entraEnabled ? (
        <button
          type="button"
          onClick={() => void authClient.signIn.social({ provider: "microsoft", callbackURL: next })}
          className="w-full rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-slate-900 hover:bg-slate-50"
        >
          Sign in with Microsoft Entra ID
        </button>
      ) : null}
      {demoAccounts.length > 0 && demoPassword ? (
        <section aria-labelledby="demo-accounts" className="rounded-lg border border-amber-200 bg-amber-50 p-4">
          <h2 id="demo-accounts" className="text-sm font-semibold text-amber-900">Demo accounts</h2>
          <p className="mt-1 text-xs text-amber-900">This is a demo store: one account per role, password <code className="font-mono">{demoPassword}</code>.</p>
          <ul className="mt-3 grid gap-2">
            {demoAccounts.map((account) => (
              <li key={account.email}>
                <button
                  type="button"
                  disabled={pending}
                  onClick={() => void signIn({ email: account.email, password: demoPassword })}
                  className="flex w-full items-center justify-between rounded-md border border-amber-300 bg-white px-3 py-2 text-left text-sm hover:bg-amber-100"
                >
                  <span>
                    <span className="font-medium text-slate-900">Sign in as {account.role}</span>
                    <span className="block text-xs text-slate-600">{account.name} · {account.email}</span>
                  </span>
                  <span aria-hidden>→</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
