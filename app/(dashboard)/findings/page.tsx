import type { Metadata } from "next";
import { Suspense } from "react";
import { FindingsView, FindingsViewSkeleton } from "@/components/findings/findings-view";
import { requireUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Findings" };

export default async function FindingsPage() {
  // The layout checks too, but a client-side navigation renders only this segment.
  await requireUser("posture:read", "/findings");
  return (
    <Suspense fallback={<FindingsViewSkeleton />}>
      <FindingsView />
    </Suspense>
  );
}
