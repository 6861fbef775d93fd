import type { Metadata } from "next";
import { TrendsPage } from "@/components/trends/trends-page";

export const metadata: Metadata = { title: "Trends" };

export default async function Trends({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <TrendsPage search={await searchParams} />;
}
