/** How long one call takes, in milliseconds. */
export async function time(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

/** Calls of each variant before the timed rounds, at most: enough for V8 to optimise what they run. */
const WARM_CALLS = 200;
/** …and no longer than this in all, so a 300 ms reference does not hold the run for a minute. */
const WARM_MS = 4000;

/**
 * Runs the variants in turns, untimed, until each has run WARM_CALLS times or WARM_MS have passed.
 * V8 compiles a function to optimised code only after many calls: a server that has answered
 * commands all morning runs warm, and three warm-up rounds left the command layer cold, its
 * fixed cost counted several times over (bench/RESULTS.md, the digest). The timed rounds then
 * measure Closer's code, not V8's compiler.
 */
export async function warmUp(variants: readonly (() => Promise<unknown>)[]): Promise<void> {
  const until = performance.now() + WARM_MS;
  for (let i = 0; i < WARM_CALLS && performance.now() < until; i++) {
    for (const run of variants) await run();
  }
}

/** How a section's header says what ran before its timed rounds. */
export const warmedUp = (rounds: number): string =>
  `the JIT warm-up (each side untimed, ${WARM_CALLS} calls or ${WARM_MS / 1000} s) and ${rounds} warm-up rounds`;
