/**
 * The value of `work` if it settles within `ms`, else undefined (the work goes on). Platforms use it
 * to answer in the acknowledgement when they can and defer when they cannot (0 always defers); the
 * HTTP server and metrics, so a database that hangs answers "down" instead of hanging with it.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
