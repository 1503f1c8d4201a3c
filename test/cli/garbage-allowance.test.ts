import { describe, expect, it } from "vitest";
import { withGarbageAllowance } from "../../src/cli/garbage-allowance.js";

const MB = 1024 * 1024;

/**
 * Batches that each leave `garbageMb` of strings behind, alive until the moment the batch is handed
 * on, so no collection could have freed them before; notes the heap in use at that moment.
 */
async function* batchesLeavingGarbage(
  count: number,
  garbageMb: number,
  heapAtYield: number[],
): AsyncGenerator<number[]> {
  const held: { garbage?: string[] } = {};
  for (let i = 0; i < count; i++) {
    held.garbage = Array.from({ length: garbageMb * 1024 }, (_, k) => `${i}:${k}`.padEnd(1000, "x"));
    held.garbage = undefined;
    heapAtYield.push(process.memoryUsage().heapUsed);
    yield [i, i + 1];
  }
}

/** How much smaller the heap was when each batch arrived than when it was handed on. */
async function freedPerBatch(allowanceMb: number): Promise<{ batches: number[][]; freed: number[] }> {
  const atYield: number[] = [];
  const batches: number[][] = [];
  const freed: number[] = [];
  for await (const batch of withGarbageAllowance(batchesLeavingGarbage(3, 64, atYield), allowanceMb)) {
    freed.push((atYield[batches.length] ?? 0) - process.memoryUsage().heapUsed);
    batches.push(batch);
  }
  return { batches, freed };
}

describe("withGarbageAllowance", () => {
  it("GIVEN batches THEN it hands on each of them, unchanged and in order", async () => {
    const { batches } = await freedPerBatch(4096);
    expect(batches).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  it("GIVEN more garbage than allowed THEN it is collected before the batch is handed on; less, and it is not", async () => {
    const above = await freedPerBatch(0);
    for (const freed of above.freed) expect(freed).toBeGreaterThan(16 * MB);
    const below = await freedPerBatch(4096);
    for (const freed of below.freed) expect(freed).toBeLessThan(MB);
  });
});
