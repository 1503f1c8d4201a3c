import { ErrorCode, LogLevel, type WebAPIRateLimitedError, WebClient } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { mulberry32 } from "./posting-limits.js";
import { blockLimits, type PostingLimits, type SlackEmulator, startSlackEmulator } from "./slack-emulator.js";

const signingSecret = "emulator-signing-secret";
const silentLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

/** A WebClient that neither retries nor waits: a 429 rejects at once with WebAPIRateLimitedError. */
const rejectingClient = (emulator: SlackEmulator, token: string) =>
  new WebClient(token, {
    slackApiUrl: emulator.apiUrl,
    logger: silentLogger,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });

/** The Retry-After (seconds) a post was rate limited with, or undefined if it went through. */
async function retryAfterOf(post: Promise<unknown>): Promise<number | undefined> {
  try {
    await post;
    return undefined;
  } catch (error) {
    const limited = error as WebAPIRateLimitedError;
    if (limited.code !== ErrorCode.RateLimitedError) throw error;
    return limited.retryAfter;
  }
}

const emulators: SlackEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

/** An emulator with the given limits whose clock only moves when the test says so. */
async function start(postingLimits: PostingLimits) {
  const clock = { ms: 1_700_000_000_000 };
  const emulator = await startSlackEmulator({ signingSecret, now: () => clock.ms, postingLimits });
  emulators.push(emulator);
  return { emulator, clock, client: rejectingClient(emulator, emulator.tokens.bot) };
}

const texts = (emulator: SlackEmulator, channel: string) =>
  emulator.messages.filter((m) => m.channel === channel).map((m) => m.text);

describe("mulberry32", () => {
  it("GIVEN the same seed THEN it draws the same floats in [0, 1), and another seed draws others", () => {
    const draws = (seed: number) => Array.from({ length: 8 }, mulberry32(seed));
    expect(draws(42)).toEqual(draws(42));
    expect(draws(42)).not.toEqual(draws(43));
    expect(draws(42).every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe("Slack emulator posting limits with the real WebClient", () => {
  it("GIVEN perChannelPerSecond 1 THEN a second post within the second gets 429 Retry-After 1 and is not stored", async () => {
    const { emulator, clock, client } = await start({ perChannelPerSecond: 1 });
    expect((await client.chat.postMessage({ channel: "C0SALES", text: "first" })).ok).toBe(true);
    clock.ms += 999;
    expect(await retryAfterOf(client.chat.postMessage({ channel: "C0SALES", text: "too soon" }))).toBe(1);
    expect(texts(emulator, "C0SALES")).toEqual(["first"]);
    expect(emulator.rateLimited).toBe(1);
    expect(emulator.callsTo("chat.postMessage").map((c) => c.params.text)).toEqual(["first", "too soon"]);

    expect((await client.chat.postMessage({ channel: "C0OTHER", text: "elsewhere" })).ok).toBe(true);
    expect(texts(emulator, "C0OTHER")).toEqual(["elsewhere"]);

    clock.ms += 1;
    expect((await client.chat.postMessage({ channel: "C0SALES", text: "a second later" })).ok).toBe(true);
    expect(texts(emulator, "C0SALES")).toEqual(["first", "a second later"]);
    expect(emulator.rateLimited).toBe(1);
  });

  it("GIVEN a 429 THEN the raw answer is HTTP 429, Retry-After: 1 and { ok: false, error: 'ratelimited' }", async () => {
    const { emulator, client } = await start({ perChannelPerSecond: 1 });
    await client.chat.postMessage({ channel: "C0RAW", text: "first" });
    const response = await fetch(`${emulator.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${emulator.tokens.bot}`,
        "content-type": "application/json; charset=utf-8",
      },
      body: JSON.stringify({ channel: "C0RAW", text: "second" }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await response.json()).toEqual({ ok: false, error: "ratelimited" });
  });

  it("GIVEN a post to a user id THEN it shares its DM channel's window, and a refused post starts none", async () => {
    const { emulator, client } = await start({ perChannelPerSecond: 1 });
    const dm = await client.chat.postMessage({ channel: "U0ALICE", text: "hello" });
    expect(dm.channel).toMatch(/^D/);
    const channel = dm.channel as string;
    expect(await retryAfterOf(client.chat.postMessage({ channel, text: "again" }))).toBe(1);
    expect(await retryAfterOf(client.chat.postMessage({ channel: "U0ALICE", text: "and again" }))).toBe(1);
    expect(texts(emulator, channel)).toEqual(["hello"]);

    const tooLong = "x".repeat(blockLimits.messageText + 1);
    await expect(client.chat.postMessage({ channel: "C0REFUSED", text: tooLong })).rejects.toMatchObject({
      data: { error: "msg_too_long" },
    });
    expect((await client.chat.postMessage({ channel: "C0REFUSED", text: "shorter" })).ok).toBe(true);
    expect(emulator.rateLimited).toBe(2);
  });

  it("GIVEN two workspaces THEN the same channel id is limited per team", async () => {
    const { emulator, client } = await start({ perChannelPerSecond: 1 });
    emulator.registerOAuthCode("code-1", {
      teamId: "T0OTHER",
      teamName: "Other Co",
      botToken: "xoxb-other",
      botUserId: "U0OTHERBOT",
      userId: "U0INSTALLER",
    });
    await client.oauth.v2.access({
      client_id: "1111111111.2222222222",
      client_secret: "emulator-client-secret",
      code: "code-1",
    });
    const other = rejectingClient(emulator, "xoxb-other");
    expect((await client.chat.postMessage({ channel: "C0SHARED", text: "ours" })).ok).toBe(true);
    expect((await other.chat.postMessage({ channel: "C0SHARED", text: "theirs" })).ok).toBe(true);
    expect(await retryAfterOf(other.chat.postMessage({ channel: "C0SHARED", text: "theirs again" }))).toBe(1);
    expect(emulator.messages.map((m) => [m.teamId, m.text])).toEqual([
      ["T0CLOSER01", "ours"],
      ["T0OTHER", "theirs"],
    ]);
  });

  it("GIVEN perChannelPerSecond 0.5 THEN Retry-After is the seconds left in the window, rounded up", async () => {
    const { clock, client } = await start({ perChannelPerSecond: 0.5 });
    await client.chat.postMessage({ channel: "C0SLOW", text: "first" });
    clock.ms += 500;
    expect(await retryAfterOf(client.chat.postMessage({ channel: "C0SLOW", text: "x" }))).toBe(2);
    clock.ms += 1000;
    expect(await retryAfterOf(client.chat.postMessage({ channel: "C0SLOW", text: "x" }))).toBe(1);
    clock.ms += 500;
    expect((await client.chat.postMessage({ channel: "C0SLOW", text: "two seconds later" })).ok).toBe(true);
  });

  /** Posts once to each of `count` distinct channels; true where the post was rate limited. */
  async function randomPattern(limits: PostingLimits, count: number) {
    const { emulator, client } = await start(limits);
    const limited: boolean[] = [];
    const retryAfters = new Set<number>();
    for (let i = 0; i < count; i += 1) {
      const retryAfter = await retryAfterOf(
        client.chat.postMessage({ channel: `C0RAND${i}`, text: `#${i}` }),
      );
      limited.push(retryAfter !== undefined);
      if (retryAfter !== undefined) retryAfters.add(retryAfter);
    }
    return { emulator, limited, retryAfters };
  }

  it("GIVEN randomRateLimit 0.5 seed 42 THEN some but not all of 40 posts get 429, counted and reproducible", async () => {
    const first = await randomPattern({ randomRateLimit: { probability: 0.5, seed: 42 } }, 40);
    const count = first.limited.filter(Boolean).length;
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(40);
    expect(first.emulator.rateLimited).toBe(count);
    expect(first.retryAfters).toEqual(new Set([1]));
    expect(first.emulator.messages.map((m) => m.text)).toEqual(
      first.limited.flatMap((limited, i) => (limited ? [] : [`#${i}`])),
    );
    expect(first.emulator.callsTo("chat.postMessage")).toHaveLength(40);

    const second = await randomPattern({ randomRateLimit: { probability: 0.5, seed: 42 } }, 40);
    expect(second.limited).toEqual(first.limited);
    const otherSeed = await randomPattern({ randomRateLimit: { probability: 0.5, seed: 7 } }, 40);
    expect(otherSeed.limited).not.toEqual(first.limited);
  });

  it("GIVEN randomRateLimit with retryAfter 3 and probability 1 THEN every post gets 429 Retry-After 3", async () => {
    const { emulator, limited, retryAfters } = await randomPattern(
      { randomRateLimit: { probability: 1, seed: 1, retryAfter: 3 } },
      3,
    );
    expect(limited).toEqual([true, true, true]);
    expect(retryAfters).toEqual(new Set([3]));
    expect(emulator.messages).toEqual([]);
    expect(emulator.rateLimited).toBe(3);
  });

  it("GIVEN out-of-range limits THEN startSlackEmulator refuses them", async () => {
    await expect(
      startSlackEmulator({ signingSecret, postingLimits: { perChannelPerSecond: 0 } }),
    ).rejects.toThrow(RangeError);
    await expect(
      startSlackEmulator({ signingSecret, postingLimits: { randomRateLimit: { probability: 2, seed: 1 } } }),
    ).rejects.toThrow(RangeError);
  });
});
