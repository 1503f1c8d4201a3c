import { z } from "zod";
import { openDatabase } from "../../src/db/client.js";
import { buildDataset } from "./dataset.js";
import { measure } from "./measure.js";
import { maxRssBytes } from "./stats.js";

/** One step of the benchmark, run in its own process so each reports its own peak RSS. */
export const Job = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("load"),
    url: z.string(),
    deals: z.number().int().positive(),
    reps: z.number().int().positive(),
    customers: z.number().int().positive(),
    vacuum: z.boolean(),
    /** A PostgreSQL setting to persist for the next start (`ALTER SYSTEM`), e.g. shared_buffers. */
    sharedBuffers: z
      .string()
      .regex(/^\d+(kB|MB|GB)$/)
      .optional(),
  }),
  z.object({
    kind: z.literal("measure"),
    url: z.string(),
    iterations: z.number().int().positive(),
    warmup: z.number().int().nonnegative(),
  }),
]);
export type Job = z.infer<typeof Job>;

async function run(job: Job): Promise<unknown> {
  const t0 = performance.now();
  const db = await openDatabase(job.url);
  const openMs = performance.now() - t0;
  try {
    switch (job.kind) {
      case "load": {
        const loaded = await buildDataset(db, job);
        if (job.sharedBuffers) await db.sql.exec(`ALTER SYSTEM SET shared_buffers = '${job.sharedBuffers}'`);
        return { ...loaded, maxRss: maxRssBytes() };
      }
      case "measure":
        return await measure(db, { iterations: job.iterations, warmup: job.warmup, openMs });
    }
  } finally {
    await db.close();
  }
}

function reply(message: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error("worker.ts must be started with fork()"));
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

try {
  const result = await run(Job.parse(JSON.parse(process.argv[2] ?? "null")));
  await reply({ ok: true, result });
} catch (error) {
  await reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
} finally {
  process.disconnect?.();
}
