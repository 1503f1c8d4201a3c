import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * A full garbage collection, or undefined when V8 refuses to expose one. `--expose-gc` set at run
 * time takes effect in contexts created after it, so a fresh context hands out the function.
 */
function collector(): (() => void) | undefined {
  setFlagsFromString("--expose-gc");
  const gc: unknown = runInNewContext("typeof gc === 'function' ? gc : undefined");
  return typeof gc === "function" ? (gc as () => void) : undefined;
}

/**
 * Hands on `batches` unchanged, collecting garbage between two of them whenever the heap in use
 * has grown by more than `garbageMb` since the last collection. A long import's live data is a
 * batch and what it is planned against, but V8 lets dead batches pile up to several times that
 * before it collects on its own; on PGlite, whose database memory is in the same process, that
 * garbage is what would take the process past its memory budget. The allowance is over what was
 * live after the last collection, so a large live set is not collected over and over for nothing.
 */
export async function* withGarbageAllowance<T>(
  batches: AsyncIterable<T>,
  garbageMb: number,
): AsyncGenerator<T> {
  const gc = collector();
  const allowance = garbageMb * 1024 * 1024;
  let live = 0;
  for await (const batch of batches) {
    if (gc && process.memoryUsage().heapUsed > live + allowance) {
      gc();
      live = process.memoryUsage().heapUsed;
    }
    yield batch;
  }
}
