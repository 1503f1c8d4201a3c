/** The nearest-rank `q`-quantile of ascending samples (q = 0.95 of 20 samples: the 19th smallest). */
export function nearestRank(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** The median of ascending samples: the middle one, or the mean of the middle two. */
export function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number) => sorted[i] ?? Number.NaN;
  return sorted.length % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/** A series of timings, in milliseconds: count, min, median, nearest-rank 90th and 95th percentiles, max. */
export interface Summary {
  n: number;
  min: number;
  median: number;
  p90: number;
  p95: number;
  max: number;
}

/** Summarises samples in any order (15 samples: p90 is the 14th smallest; 20: p95 is the 19th). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError("no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    min: nearestRank(sorted, 0),
    median: median(sorted),
    p90: nearestRank(sorted, 0.9),
    p95: nearestRank(sorted, 0.95),
    max: nearestRank(sorted, 1),
  };
}
