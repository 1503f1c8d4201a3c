import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { createDispatcher } from "../../../src/notify/dispatcher.js";
import { createSlackPort, NOTIFICATION_EVENT } from "../../../src/platforms/slack/slack-port.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { silentLog } from "../../fixtures/sales.js";
import { openTestDatabase } from "../../support/db.js";
import { SIGNING_SECRET, startSlackPlatform, textOf } from "./support.js";

let emu: SlackEmulator;
let db: Database;
let slack: Awaited<ReturnType<typeof startSlackPlatform>>;
let team: string;
const ALICE = "U0ALICE";
const WINS = "C0WINS";

beforeAll(async () => {
  emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
  team = emu.workspace.teamId;
  emu.addUser({ id: ALICE, teamId: team, name: "alice", tz: "Europe/Paris", locale: "en-US", isAdmin: true });
  db = await openTestDatabase();
  slack = await startSlackPlatform(db, emu);
});
afterAll(async () => {
  await slack.platform.stop();
  await emu.close();
  await db.close();
});

const command = (text: string) => {
  const [name, ...rest] = text.split(" ");
  return emu.sendCommand(slack.appUrl, {
    command: name ?? "",
    text: rest.join(" "),
    teamId: team,
    userId: ALICE,
    channelId: "C0SALES",
  });
};

/** Delivers the outbox as `closer start` would, through the real Slack port. */
const deliver = () =>
  createDispatcher({
    db: db.prisma,
    ports: {
      slack: createSlackPort({
        slack: {
          botToken: emu.tokens.bot,
          signingSecret: SIGNING_SECRET,
          appToken: undefined,
          apiUrl: emu.apiUrl,
          oauth: undefined,
        },
        db: db.prisma,
        log: silentLog,
      }),
    },
    clock: slack.clock,
    log: silentLog,
  }).drain();

const winsPosts = () => emu.messages.filter((m) => m.channel === WINS);

describe("Slack celebrations", () => {
  it("GIVEN a wins channel set by mention and a deal won by command THEN exactly one post lands there, carrying its key", async () => {
    expect(textOf((await command(`/closer config set wins_channel <#${WINS}|wins>`)).json)).toContain(
      `wins_channel is now ${WINS}`,
    );
    // Celebrations alone: the achievements these wins earn are posted by a switch of their own.
    await command("/closer config set announce.achievements off");
    await command("/deal log 12k Acme stage:proposal");
    await command('/deal won #1 note:"<!channel> loved the demo"');
    await deliver();
    await deliver();
    const posts = winsPosts();
    expect(posts).toHaveLength(1);
    const deal = await db.prisma.deal.findFirstOrThrow({
      where: { number: 1, workspace: { externalId: team } },
    });
    expect(posts[0]?.metadata).toEqual({
      event_type: NOTIFICATION_EVENT,
      event_payload: { dedupe_key: `win:${deal.id}` },
    });
    expect(posts[0]?.text).toContain("🎉 alice won Acme: €12,000");
    // What the rep typed is shown, never a ping.
    expect(posts[0]?.text).toContain("&lt;!channel&gt; loved the demo");
    const row = await db.prisma.outbox.findUniqueOrThrow({ where: { dedupeKey: `win:${deal.id}` } });
    expect(row).toMatchObject({ status: "sent", messageRef: `${WINS}/${posts[0]?.ts}` });
  });

  it("GIVEN the Won button THEN that win is celebrated once too", async () => {
    const logged = await command("/deal log 3k Globex");
    const number = /Deal #(\d+) logged/.exec(textOf(logged.json))?.[1];
    const click = await emu.sendInteraction(slack.appUrl, {
      type: "block_actions",
      team: { id: team },
      user: { id: ALICE, team_id: team },
      channel: { id: "C0SALES" },
      container: { type: "message", channel_id: "C0SALES" },
      actions: [{ type: "button", action_id: "deal.won", value: `/deal won #${number}`, action_ts: "9.1" }],
    });
    await emu.waitForResponse(click.responseUrlId ?? "");
    slack.clock.advance(1000);
    await deliver();
    expect(winsPosts().map((m) => m.text?.split("\n")[0])).toEqual([
      "🎉 alice won Acme: €12,000",
      "🎉 alice won Globex: €3,000",
    ]);
  });

  it("GIVEN a team goal crossed, the deal reopened and won again, then for more THEN the channel hears each milestone once, naming the team's goal", async () => {
    await command(`/closer team add North <@${ALICE}|alice>`);
    await command("/goal set 40k team:North month");
    // alice has won €15,000 this month: 37.5% of the team's goal.
    const logged = await command("/deal log 10k Initech");
    const number = /Deal #(\d+) logged/.exec(textOf(logged.json))?.[1];
    const won = await command(`/deal won #${number}`);
    expect(textOf(won.json)).toContain("🎯 Team North reached 50% of its revenue goal for November 2026");
    await command(`/deal stage #${number} proposal`);
    expect(textOf((await command(`/deal won #${number}`)).json)).not.toContain("🎯");
    await command(`/deal stage #${number} proposal`);
    await command(`/deal won #${number} 20k`);
    // One post a second per channel: the second waits for the first's interval.
    for (const _ of [1, 2]) {
      slack.clock.advance(1000);
      await deliver();
    }
    expect(
      winsPosts()
        .slice(-2)
        .map((m) => m.text?.split("\n")),
    ).toEqual([
      ["🎉 alice won Initech: €10,000", "🎯 Team North reached 50% of its revenue goal for November 2026"],
      ["🎯 A goal milestone for alice", "🎯 Team North reached 75% of its revenue goal for November 2026"],
    ]);
  });
});
