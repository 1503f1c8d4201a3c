import { afterAll, beforeAll } from "vitest";
import { announceAchievements } from "../../../src/announcements/achievements.js";
import { announceWin } from "../../../src/announcements/celebration.js";
import { announceKudos } from "../../../src/announcements/kudos.js";
import { createFixedClock } from "../../../src/clock.js";
import type { Database } from "../../../src/db/client.js";
import { createHttpServer } from "../../../src/http/server.js";
import { createMetrics } from "../../../src/metrics.js";
import {
  createSlackPlatform,
  type SlackPlatformOptions,
} from "../../../src/platforms/slack/slack-platform.js";
import { createSalesService } from "../../../src/sales/sales-service.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { silentLog } from "../../fixtures/sales.js";
import { openTestDatabase } from "../../support/db.js";

export const SIGNING_SECRET = "closer-test-signing-secret";

/**
 * Closer's Slack platform on a test database, talking to the emulator, mounted on Closer's HTTP
 * server on a free port as `closer start` mounts it. `platform.stop()` stops both.
 */
export async function startSlackPlatform(
  db: Database,
  emulator: SlackEmulator,
  slack: Partial<SlackPlatformOptions["slack"]> = {},
  extra: Partial<Pick<SlackPlatformOptions, "ackBudgetMs" | "metrics">> = {},
) {
  const clock = createFixedClock("2026-11-18T10:00:00Z");
  const sales = createSalesService({
    db: db.prisma,
    clock,
    onWin: announceWin,
    onKudos: announceKudos,
    onAchievements: announceAchievements,
  });
  const metrics = extra.metrics ?? createMetrics();
  const platform = createSlackPlatform({
    slack: {
      botToken: emulator.tokens.bot,
      signingSecret: SIGNING_SECRET,
      appToken: undefined,
      apiUrl: emulator.apiUrl,
      oauth: undefined,
      ...slack,
    },
    sales,
    db: db.prisma,
    clock,
    log: silentLog,
    // Answers in the acknowledgement, as a quiet Closer gives them; tests of the later answer set 0.
    ackBudgetMs: 2500,
    ...extra,
    metrics,
  });
  const http = createHttpServer({
    port: 0,
    log: silentLog,
    metrics,
    pingDatabase: () => db.prisma.$queryRaw`SELECT 1`,
    checks: () => [{ name: "slack", ready: platform.ready }],
  });
  http.mount(platform.routes);
  const port = await http.listen();
  await platform.start();
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await platform.stop();
    await http.close();
  };
  return { platform: { ...platform, stop }, sales, clock, base, appUrl: `${base}/slack/events` };
}

/** The text Slack would show for a reply: the fallback text of its JSON body. */
export function textOf(json: unknown): string {
  return String((json as { text?: unknown } | undefined)?.text ?? "");
}

/**
 * The text of a command's answer, wherever Closer gave it: in the acknowledgement when it was ready
 * within the budget, else at the request's response_url.
 */
export async function answerText(
  emulator: SlackEmulator,
  res: { json?: unknown; responseUrlId?: string | undefined },
): Promise<string> {
  const inAck = textOf(res.json);
  return inAck || textOf(await emulator.waitForResponse(res.responseUrlId ?? ""));
}

/**
 * A Slack team of two on the emulator, alice (a workspace admin) and bob, with Closer's Slack platform
 * on a fresh test database: started before the file's tests, stopped after them. `command` sends a
 * slash command from the sales channel (as alice unless told) and reads its answer.
 */
export function slackTeamOfTwo() {
  const ALICE = "U0ALICE";
  const BOB = "U0BOB";
  let emu: SlackEmulator;
  let db: Database;
  let slack: Awaited<ReturnType<typeof startSlackPlatform>>;
  beforeAll(async () => {
    emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
    const teamId = emu.workspace.teamId;
    emu.addUser({ id: ALICE, teamId, name: "alice", tz: "UTC", locale: "en-US", isAdmin: true });
    emu.addUser({ id: BOB, teamId, name: "bob", tz: "UTC", locale: "en-US" });
    db = await openTestDatabase();
    slack = await startSlackPlatform(db, emu);
  });
  afterAll(async () => {
    await slack.platform.stop();
    await emu.close();
    await db.close();
  });
  return {
    ALICE,
    BOB,
    db: () => db,
    emulator: () => emu,
    appUrl: () => slack.appUrl,
    command: async (name: string, text: string, userId = ALICE) =>
      answerText(
        emu,
        await emu.sendCommand(slack.appUrl, {
          command: name,
          text,
          teamId: emu.workspace.teamId,
          userId,
          channelId: "C0SALES",
        }),
      ),
  };
}
