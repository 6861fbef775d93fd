import type { Metadata } from "next";
import { z } from "zod";
import { BoardReport } from "@/components/report/board-report";
import { firstValue, readPageScope, type PageSearchParams } from "@/lib/api/page-search";
import { requireUser } from "@/lib/auth/current-user";
import { loadBoardReport } from "../_loaders/board-report";

export const metadata: Metadata = { title: "Board report" };

const asOfParam = z.iso.datetime({ offset: true });

/** The board report: one printable page (two A4 sheets at most) for executives, same filters as the Overview. */
export default async function ReportPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  const user = await requireUser("posture:read", "/report");
  const search = await searchParams;
  const rawAsOf = firstValue(search, "asOf");
  const asOf = rawAsOf && asOfParam.safeParse(rawAsOf).success ? new Date(rawAsOf) : new Date();
  const { scope } = readPageScope(search);
  const { report, scopeText } = await loadBoardReport(asOf, scope);
  return <BoardReport report={report} scopeText={scopeText} generatedBy={`${user.name} (${user.email})`} generatedAt={new Date().toISOString()} />;
}
