import type { Database } from "../../src/db/client.js";
import { createSlackPort, type SlackPortOptions } from "../../src/platforms/slack/slack-port.js";
import { silentLog } from "../fixtures/sales.js";

/** Slack's delivery port on the emulator's API, with a bot token and no OAuth, as the notify tests use it. */
export function emulatorSlackPort(
  emulator: { tokens: { bot: string }; apiUrl: string },
  db: Database,
  options: Partial<SlackPortOptions> = {},
) {
  return createSlackPort({
    slack: {
      botToken: emulator.tokens.bot,
      signingSecret: "closer-test-signing-secret",
      appToken: undefined,
      apiUrl: emulator.apiUrl,
      oauth: undefined,
    },
    db: db.prisma,
    log: silentLog,
    ...options,
  });
}
