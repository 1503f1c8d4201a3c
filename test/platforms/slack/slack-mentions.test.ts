import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ParseContext } from "../../../src/commands/command.js";
import { readCommandLine, validate } from "../../../src/commands/execute.js";
import type { Database } from "../../../src/db/client.js";
import { en } from "../../../src/messages/catalog/en.js";
import { type MessageKey, type TranslateParams, translate } from "../../../src/messages/i18n.js";
import { unescapeSlack } from "../../../src/platforms/slack/slack-context.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { SIGNING_SECRET, startSlackPlatform, textOf } from "./support.js";

/*
 * Slack sends a mention the user picked as `<@U123>` (or `<@U123|name>`), and escapes what the user
 * typed: `<` as `&lt;`, `>` as `&gt;`, `&` as `&amp;`. Only the first is a mention; text typed to
 * look like one is text.
 */

const parse: ParseContext = {
  locale: "en",
  currency: "EUR",
  timezone: "UTC",
  weekStart: "monday",
  fiscalYearStart: 1,
  now: new Date("2026-11-18T10:00:00Z"),
};
const ctx = {
  t: (key: MessageKey, params?: TranslateParams) => translate("en", key, params),
  locale: "en" as const,
  parse,
};

/** A slash command's text as the Slack handler reads it: unescaped, then read as a command line. */
function read(slash: string, slackText: string) {
  const line = readCommandLine(ctx, `/${slash} ${unescapeSlack(slackText)}`);
  if (!line.ok) throw new Error(`not a command: ${slackText}`);
  return line;
}

describe("GIVEN Slack command text THEN only mentions Slack wrote are mentions", () => {
  it("GIVEN a real mention THEN the member it names", () => {
    expect(read("deal", "assign #1 <@U123>").raw).toEqual({ deal: "#1", to: { platformUserId: "U123" } });
    expect(read("deal", "assign #1 <@U123|bob>").raw).toEqual({
      deal: "#1",
      to: { platformUserId: "U123", displayName: "bob" },
    });
  });

  it("GIVEN a mention typed as text THEN no member, and the command asks for one", () => {
    const line = read("deal", "assign #1 &lt;@U123&gt;");
    expect(line.raw).toEqual({ deal: "#1", extra: "<@U123>" });
    const parsed = validate(line.command, line.raw, parse);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe("input.member_required");
  });

  it("GIVEN a mention typed as an option's value THEN it names no member", () => {
    expect(read("deal", "log 5k Acme for:<@U123>").raw).toMatchObject({ for: { platformUserId: "U123" } });
    const typed = read("deal", "log 5k Acme for:&lt;@U123&gt;").raw as { for: { platformUserId: string } };
    expect(typed.for.platformUserId).not.toBe("U123");
  });

  it("GIVEN typed <, > and & in words and values THEN they are read back literally", () => {
    expect(read("deal", "note #1 ping &lt;@U123&gt; &amp; &lt;!channel&gt; a&amp;lt;b").raw).toEqual({
      deal: "#1",
      note: "ping <@U123> & <!channel> a&lt;b",
    });
    expect(read("deal", 'log 5k A&lt;B&gt; title:"&lt;@U9&gt; deal"').raw).toMatchObject({
      customer: "A<B>",
      title: "<@U9> deal",
    });
  });
});

describe("GIVEN /deal assign over Slack THEN a typed mention resolves no member", () => {
  let emu: SlackEmulator;
  let db: Database;
  let slack: Awaited<ReturnType<typeof startSlackPlatform>>;
  const ALICE = "U0ALICE";
  const BOB = "U0BOB";

  beforeAll(async () => {
    emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
    const team = emu.workspace.teamId;
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

  /** Sends `/deal <text>` as Alice, `text` as Slack would put it on the wire (already escaped). */
  const deal = (text: string) =>
    emu.sendCommand(slack.appUrl, {
      command: "/deal",
      text,
      teamId: emu.workspace.teamId,
      userId: ALICE,
      channelId: "C0SALES",
    });
  const ownerOfDeal1 = async () =>
    (await db.prisma.deal.findFirstOrThrow({ where: { number: 1 }, include: { owner: true } })).owner
      .platformUserId;
  const lookedUp = (user: string) => emu.callsTo("users.info").filter((c) => c.params.user === user).length;

  it("GIVEN &lt;@U0BOB&gt; THEN refused, Bob is never looked up; GIVEN <@U0BOB> THEN the deal is Bob's", async () => {
    expect((await deal("log 5k Acme")).status).toBe(200);
    expect(await ownerOfDeal1()).toBe(ALICE);

    const typed = await deal("assign #1 &lt;@U0BOB&gt;");
    expect(typed.status).toBe(200);
    expect(textOf(typed.json)).toContain(en["input.member_required"]);
    expect(lookedUp(BOB)).toBe(0);
    expect(await ownerOfDeal1()).toBe(ALICE);

    const real = await deal(`assign #1 <@${BOB}>`);
    expect(textOf(real.json)).toContain("Deal #1 now belongs to bob");
    expect(lookedUp(BOB)).toBeGreaterThan(0);
    expect(await ownerOfDeal1()).toBe(BOB);
  });

  it("GIVEN a user no one has mentioned yet THEN a refused /deal assign leaves no member behind, and the same command that succeeds adds them", async () => {
    const CAROL = "U0CAROL";
    emu.addUser({ id: CAROL, teamId: emu.workspace.teamId, name: "carol", tz: "UTC", locale: "en-US" });
    const carol = () => db.prisma.member.count({ where: { platformUserId: CAROL } });
    const members = await db.prisma.member.count();

    const refused = await deal(`assign #999 <@${CAROL}>`);
    expect(textOf(refused.json)).toContain("There is no deal #999.");
    expect(await carol()).toBe(0);
    const logged = await deal(`log 5k Globex for:<@${CAROL}> stage:lost`);
    expect(textOf(logged.json)).toContain(en["error.log_lost"]);
    expect(await db.prisma.member.count()).toBe(members);

    const real = await deal(`assign #1 <@${CAROL}>`);
    expect(textOf(real.json)).toContain("Deal #1 now belongs to carol");
    expect(await carol()).toBe(1);
    expect(await ownerOfDeal1()).toBe(CAROL);
  });
});
