// Next.js calls register() once per server start. The in-app collection schedule runs only in the
// Node.js runtime (not Edge), and its modules are imported here so they stay out of other bundles.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (!process.env.BULKHEAD_COLLECT_CRON) return;
  const { startScheduledCollection } = await import("./lib/collector/start-scheduled-collection");
  await startScheduledCollection();
}
