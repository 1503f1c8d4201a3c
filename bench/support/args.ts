/**
 * A flag's positive integer (`1_000_000` and `1,000,000` read as one million), or `fallback` when
 * the flag is absent; throws with the benchmark's usage when it is not one.
 */
export function positiveInt(
  name: string,
  value: string | undefined,
  fallback: number,
  usage: string,
): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll("_", "").replaceAll(",", ""));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer\n${usage}`);
  return n;
}
