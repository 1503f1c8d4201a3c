import type { Failure, PostingLimits } from "./types.js";

/** A 429 the limiter decided on, in the shape `failNext` failures take. */
export type RateLimitFailure = Extract<Failure, { status: 429 }>;

/** mulberry32: a tiny seeded PRNG giving floats in [0, 1), so random rate limits are reproducible. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function validate(limits: PostingLimits): void {
  const { perChannelPerSecond, randomRateLimit } = limits;
  if (perChannelPerSecond !== undefined && !(perChannelPerSecond > 0))
    throw new RangeError(`postingLimits.perChannelPerSecond must be > 0, got ${perChannelPerSecond}`);
  const probability = randomRateLimit?.probability;
  if (probability !== undefined && !(probability >= 0 && probability <= 1))
    throw new RangeError(`postingLimits.randomRateLimit.probability must be in [0, 1], got ${probability}`);
}

/** Decides which chat.postMessage calls get a 429; remembers when each team's channel last got a message. */
export function createPostingLimiter(limits: PostingLimits, now: () => number) {
  validate(limits);
  const lastPostAt = new Map<string, number>();
  const random = limits.randomRateLimit ? mulberry32(limits.randomRateLimit.seed) : undefined;
  const intervalMs = limits.perChannelPerSecond ? 1000 / limits.perChannelPerSecond : 0;
  const key = (teamId: string, channel: string) => `${teamId}/${channel}`;

  /** The per-channel 429 (Retry-After: the seconds left in the window, rounded up, at least 1), if due. */
  function channelLimit(teamId: string, channel: string): RateLimitFailure | undefined {
    const last = lastPostAt.get(key(teamId, channel));
    if (last === undefined) return undefined;
    const remainingMs = last + intervalMs - now();
    if (remainingMs <= 0) return undefined;
    return { status: 429, retryAfter: Math.max(1, Math.ceil(remainingMs / 1000)) };
  }

  /** One PRNG draw per checked call, limited or not, so the pattern depends only on the call order. */
  function randomLimit(): RateLimitFailure | undefined {
    const settings = limits.randomRateLimit;
    if (random === undefined || settings === undefined) return undefined;
    const hit = random() < settings.probability;
    return hit ? { status: 429, retryAfter: Math.max(1, Math.ceil(settings.retryAfter ?? 1)) } : undefined;
  }

  return {
    /** The 429 to answer a chat.postMessage to `channel` (already resolved) with, or undefined to let it through. */
    check(teamId: string, channel: string): RateLimitFailure | undefined {
      const drawn = randomLimit();
      return channelLimit(teamId, channel) ?? drawn;
    },
    /** Starts the channel's window: call once the message was stored. */
    recordPost(teamId: string, channel: string): void {
      if (intervalMs > 0) lastPostAt.set(key(teamId, channel), now());
    },
  };
}
