import { median, nearestRank } from "../support/percentiles.js";

/** Summary of a series of timings, in milliseconds. */
export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** Median and nearest-rank 95th percentile (with 20 samples, the 19th smallest). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError("no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: median(sorted),
    p95: nearestRank(sorted, 0.95),
    min: nearestRank(sorted, 0),
    max: nearestRank(sorted, 1),
  };
}

/** Tracks the highest resident set size seen: sampled on a timer and on demand. */
export function createRssSampler(intervalMs = 10) {
  let peak = process.memoryUsage.rss();
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
    return rss;
  };
  // A synchronous PGlite query blocks the timer, so callers also sample after each step.
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    sample,
    get peak() {
      return peak;
    },
    stop() {
      clearInterval(timer);
      sample();
    },
  };
}

/** The process's lifetime peak RSS in bytes, as the kernel counts it (`getrusage` ru_maxrss). */
export function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}
