import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { createDispatcher } from "../../../src/notify/dispatcher.js";
import { createSlackPort, NOTIFICATION_EVENT } from "../../../src/platforms/slack/slack-port.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { silentLog } from "../../fixtures/sales.js";
import { openTestDatabase } from "../../support/db.js";
import { answerText, SIGNING_SECRET, startSlackPlatform } from "./support.js";

let emu: SlackEmulator;
let db: Database;
let slack: Awaited<ReturnType<typeof startSlackPlatform>>;
let team: string;
const ALICE = "U0ALICE";
const BOB = "U0BOB";
const WINS = "C0WINS";

beforeAll(async () => {
  emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
  team = emu.workspace.teamId;
  emu.addUser({ id: ALICE, teamId: team, name: "alice", tz: "UTC", locale: "en-US", isAdmin: true });
  emu.addUser({ id: BOB, teamId: team, name: "bob", tz: "UTC", locale: "en-US" });
  db = await openTestDatabase();
  slack = await startSlackPlatform(db, emu);
});
afterAll(async () => {
  await slack.platform.stop();
  await emu.close();
  await db.close();
});

const command = async (name: string, text: string, userId = ALICE) =>
  answerText(
    emu,
    await emu.sendCommand(slack.appUrl, { command: name, text, teamId: team, userId, channelId: "C0SALES" }),
  );

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

describe("Slack: /kudos and /wins", () => {
  it("GIVEN a wins channel and a kudos with <!channel> in it THEN exactly one post lands there, keyed by the kudos, pinging nobody", async () => {
    expect(await command("/closer", `config set wins_channel <#${WINS}|wins>`)).toContain(
      `wins_channel is now ${WINS}`,
    );
    // bob is a member once he has used Closer.
    expect(await command("/wins", "", BOB)).toContain("No win note matches.");
    const sent = await command("/kudos", `<@${BOB}|bob> <!channel> thanks for covering my demo`);
    expect(sent).toContain("🙌 Kudos sent to bob");
    expect(sent).toContain("2 kudos left for today.");
    await deliver();
    await deliver();
    const posts = emu.messages.filter((m) => m.channel === WINS);
    expect(posts).toHaveLength(1);
    const kudos = await db.prisma.kudos.findFirstOrThrow({ where: { workspace: { externalId: team } } });
    expect(posts[0]?.metadata).toEqual({
      event_type: NOTIFICATION_EVENT,
      event_payload: { dedupe_key: `kudos:${kudos.id}` },
    });
    expect(posts[0]?.text).toContain("🙌 alice thanks bob");
    expect(posts[0]?.text).toContain("&lt;!channel&gt; thanks for covering my demo");
    expect(posts[0]?.text).not.toContain("<!channel>");
  });

  it("GIVEN kudos to oneself or to someone Closer does not know THEN each is refused", async () => {
    expect(await command("/kudos", `<@${ALICE}|alice> for me`)).toContain(
      "Kudos are for a colleague, not for yourself.",
    );
    expect(await command("/kudos", "<@U0CAROL|carol> thanks")).toContain("There is no member carol.");
  });

  it("GIVEN a win with a note THEN /wins finds it by a word without its accent and by its source", async () => {
    expect(await command("/deal", "log 5k Acme stage:proposal source:referral", BOB)).toContain("Acme");
    expect(await command("/deal", 'won #1 note:"Démo sur leurs propres données"', BOB)).toContain("Acme");
    const found = await command("/wins", "demo month source:Referral");
    expect(found).toContain("#1 Acme · €5,000 · bob: Démo sur leurs propres données");
    expect(await command("/wins", "source:salon")).toContain("No win note matches.");
  });

  it("GIVEN the workspace in French THEN /kudos and /wins answer in French", async () => {
    expect(await command("/closer", "config set locale fr")).toContain("fr");
    expect(await command("/kudos", `<@${BOB}|bob> merci pour le coup de main`)).toContain(
      "🙌 Kudos envoyés à bob",
    );
    expect(await command("/wins", "démo mois origine:referral")).toContain(
      "💡 Ce qui marche\u202f: les notes de victoire",
    );
  });
});
