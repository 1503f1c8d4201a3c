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
import type { SlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { silentLog } from "../../fixtures/sales.js";

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
