// One `bulkhead reevaluate` for bench-reevaluate.ts, in a process of its own (as the command runs)
// so that its peak memory is the re-evaluation's own, and so that the bench can kill it half way.
// It reports every progress event with its time, then the result, to the parent over IPC.
import { connectDatabase } from "@/lib/db/client";
import { reevaluateStore } from "@/lib/collector/reevaluate/reevaluate";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";

const url = process.env.BENCH_REEVALUATE_URL;
if (!url || !process.send) throw new Error("reevaluate-child.ts is started by scripts/bench/bench-reevaluate.ts");
const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

const db = connectDatabase(url, { max: 2 });
try {
  const result = await reevaluateStore(db, {
    config: DEFAULT_POSTURE_CONFIG,
    actor: "bench",
    batchSize: Number(process.env.BENCH_REEVALUATE_BATCH ?? 200),
    onProgress: (event) => send({ type: "progress", at: Date.now(), event }),
  });
  await send({ type: "result", at: Date.now(), result, maxRssMb: process.resourceUsage().maxRSS / 1024 });
} finally {
  await db.close();
}
process.disconnect?.();
