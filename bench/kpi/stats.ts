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
