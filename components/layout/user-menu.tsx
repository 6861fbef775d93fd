"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useCurrentUser } from "@/components/providers/current-user-provider";
import { authClient } from "@/lib/auth/auth-client";

export function UserMenu() {
  const user = useCurrentUser();
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <div className="flex items-center gap-3 text-sm">
      <span className="text-right leading-tight">
        <span className="block font-medium text-slate-900">{user.name}</span>
        <span className="block text-xs text-slate-600">{user.role}</span>
      </span>
      <button
        type="button"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          await authClient.signOut();
          router.replace("/sign-in");
          router.refresh();
        }}
        className="rounded-md border border-slate-300 px-2.5 py-1 font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-60"
      >
        Sign out
      </button>
    </div>
  );
}
