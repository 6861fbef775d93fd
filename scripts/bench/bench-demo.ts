// Measures the demo source alone: `npx tsx scripts/bench/bench-demo.ts [clusters] [days] [seed]`.
// Per run it lists every subscription and reads every listed cluster, as the collector would.

import { listEstate } from "@/lib/sources/source";
import { createDemoEstate } from "@/lib/sources/demo";

async function measureDemo(clusters: number, days: number, seed: number): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const estate = createDemoEstate({ clusters, days, seed, endAt: new Date("2026-03-01T02:00:00Z") });
  const planMs = performance.now() - t0;
  let listMs = 0;
  let readMs = 0;
  let listed = 0;
  let namespaces = 0;
  let policies = 0;
  let slowestDayMs = 0;
  for (const run of estate.runs()) {
    const dayStart = performance.now();
    const listings = await listEstate(run.source);
    const listed0 = performance.now();
    listMs += listed0 - dayStart;
    for (const listing of listings) {
      if (!listing.ok) continue;
      for (const raw of listing.clusters) {
        const c = raw as { id: string; name: string; resourceGroup: string };
        listed++;
        const read = await run.source.readInCluster({ id: c.id, name: c.name, resourceGroup: c.resourceGroup, subscriptionId: listing.subscriptionId });
        if (read.status === "read") {
          namespaces += read.data.namespaces.length;
          policies += read.data.policies.length;
        }
      }
    }
    const dayEnd = performance.now();
    readMs += dayEnd - listed0;
    slowestDayMs = Math.max(slowestDayMs, dayEnd - dayStart);
  }
  const totalMs = performance.now() - t0;
  // CPU time is less distorted than wall time on a shared machine.
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const heapMb = process.memoryUsage().heapUsed / 1_048_576;
  console.log(
    `clusters=${clusters} days=${days}: plan ${planMs.toFixed(0)} ms; total ${totalMs.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU; ` +
      `per day ${((listMs + readMs) / days).toFixed(1)} ms (list ${(listMs / days).toFixed(1)}, reads ${(readMs / days).toFixed(1)}, slowest ${slowestDayMs.toFixed(1)}); ` +
      `${listed} cluster-days, ${namespaces} namespaces, ${policies} policies; heap ${heapMb.toFixed(0)} MB`,
  );
}

const [clusters = "150", days = "180", seed = "42"] = process.argv.slice(2);
await measureDemo(Number(clusters), Number(days), Number(seed));
