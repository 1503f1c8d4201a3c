import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { type DiscordEmulator, startDiscordEmulator } from "../../emulators/discord/discord-emulator.js";
import { holdClaims, openTestDatabase } from "../../support/db.js";
import { chatInput, shown, startDiscordPlatform } from "./support.js";

const GUILD = "900000000000000001";
const OTHER = "900000000000000002";
const CHANNEL = "910000000000000001";
const ADA = "920000000000000001";
const BEN = "920000000000000002";
const CARL = "920000000000000009";
const MIA = "920000000000000010";
const MANAGERS_ROLE = "950000000000000001";
const MANAGE_GUILD = String(0x20);

let emu: DiscordEmulator;
let db: Database;
let discord: Awaited<ReturnType<typeof startDiscordPlatform>>;

beforeAll(async () => {
  emu = await startDiscordEmulator({ heartbeatIntervalMs: 200, interactionDeadlineMs: 15_000 });
  emu.addGuild({
    id: GUILD,
    name: "Acme Sales",
    preferredLocale: "en-US",
    channels: [{ id: CHANNEL, name: "sales" }],
    roles: [
      { id: GUILD, name: "@everyone", permissions: "0" },
      { id: MANAGERS_ROLE, name: "Sales managers", permissions: "0" },
    ],
  });
  emu.addGuild({
    id: OTHER,
    name: "Ventes",
    preferredLocale: "fr",
    channels: [{ id: "910000000000000002", name: "ventes" }],
  });
  emu.addMember(GUILD, { id: ADA, username: "ada", globalName: "Ada", permissions: MANAGE_GUILD });
  emu.addMember(GUILD, { id: BEN, username: "ben", permissions: "0" });
  emu.addMember(GUILD, { id: CARL, username: "carl", permissions: "0" });
  emu.addMember(GUILD, { id: MIA, username: "mia", permissions: "0", roles: [MANAGERS_ROLE] });
  emu.addMember(OTHER, { id: ADA, username: "ada", globalName: "Ada", permissions: MANAGE_GUILD });
  db = await openTestDatabase();
  discord = await startDiscordPlatform(db, emu);
  await emu.connected();
});
afterAll(async () => {
  await discord.platform.stop();
  await emu.close();
  await db.close();
});

const run = (data: Record<string, unknown>, userId = ADA, guildId = GUILD, id?: string) =>
  emu.interact({
    type: 2,
    guildId,
    channelId: guildId === GUILD ? CHANNEL : "910000000000000002",
    userId,
    data,
    ...(id ? { id } : {}),
  });

describe("Discord over the gateway", () => {
  it("GIVEN /deal log with options THEN the callback answers with the logged deal, publicly, pinging nobody", async () => {
    const { callback } = await run(
      chatInput("deal", "log", { amount: "12k", customer: "Acme", stage: "proposal" }),
    );
    expect(callback.type).toBe(4);
    expect(shown(callback.data)).toContain("Deal #1 logged");
    expect(shown(callback.data)).toContain("#1 Acme · €12,000 · proposal (50%) · Ada");
    expect(callback.data?.flags ?? 0).toBe(0);
    expect(callback.data?.allowed_mentions).toEqual({ parse: [] });
    const ws = await db.prisma.workspace.findFirstOrThrow({
      where: { platform: "discord", externalId: GUILD },
    });
    const ada = await db.prisma.member.findFirstOrThrow({
      where: { workspaceId: ws.id, platformUserId: ADA },
    });
    expect(ada).toMatchObject({ displayName: "Ada", role: "admin" });
  });

  it.each([
    ["goal", "set", { target: "20k", company: true }, "Goal set for company"],
    ["goal", "show", {}, "Goals: Ada"],
    ["kpi", undefined, { period: "month" }, "KPIs · This month · company"],
    ["leaderboard", undefined, { period: "quarter" }, "Leaderboard · This quarter"],
    ["forecast", undefined, { period: "quarter" }, "Forecast · This quarter · company"],
    ["customer", "show", { name: "acme" }, "Acme · prospect"],
    ["customer", "list", { kind: "prospects" }, "Prospects"],
    ["remind", "set", { deal: "1", when: "tomorrow", text: "call the CFO" }, "Reminder set"],
    ["deal", "show", { deal: "#1" }, "Deal #1 · Acme"],
    ["deal", "list", { scope: "all" }, "#1 Acme"],
    ["closer", "config-show", {}, "Settings"],
    ["closer", "help", {}, "Closer commands"],
  ] as const)("GIVEN /%s %s THEN it answers", async (name, sub, options, expected) => {
    const { callback } = await run(chatInput(name, sub, options));
    expect(callback.type).toBe(4);
    expect(shown(callback.data)).toContain(expected);
  });

  it("GIVEN a rep's personal or refused answer THEN it is ephemeral and says why", async () => {
    const { callback } = await run(chatInput("deal", "won", { deal: "1" }), BEN);
    expect(callback.data?.flags).toBe(64);
    expect(shown(callback.data)).toContain("Only Ada, their manager or an admin can change this deal.");
  });

  it("GIVEN a user option THEN it names the member by Discord id", async () => {
    const { callback } = await run(
      chatInput("deal", "log", { amount: "3k", customer: "Initech", for: { user: BEN } }, { [BEN]: "ben" }),
    );
    expect(shown(callback.data)).toContain("Initech · €3,000 · lead (10%) · ben");
  });

  it("GIVEN typing in an autocompleted option THEN customers and open deals are suggested", async () => {
    const customers = await emu.interact({
      type: 4,
      guildId: GUILD,
      userId: ADA,
      data: {
        id: "cmd-customer",
        name: "customer",
        type: 1,
        options: [
          { type: 1, name: "show", options: [{ type: 3, name: "name", value: "ac", focused: true }] },
        ],
      },
    });
    expect(customers.callback).toEqual({ type: 8, data: { choices: [{ name: "Acme", value: "Acme" }] } });
    const deals = await emu.interact({
      type: 4,
      guildId: GUILD,
      userId: ADA,
      data: {
        id: "cmd-deal",
        name: "deal",
        type: 1,
        options: [
          { type: 1, name: "won", options: [{ type: 3, name: "deal", value: "init", focused: true }] },
        ],
      },
    });
    expect(deals.callback.data?.choices).toEqual([{ name: "#2 Initech · €3,000", value: "2" }]);
  });

  const BENS = { [BEN]: "ben" };

  it("GIVEN free-form periods in /kpi, /goal set, /goal show and /goal delete THEN each is read and its days named", async () => {
    const kpi = await run(chatInput("kpi", undefined, { period: "last month" }));
    expect(shown(kpi.callback.data)).toContain("KPIs · October 2026 (1 Oct – 31 Oct) · company");
    const range = await run(chatInput("leaderboard", undefined, { period: "2026-11-01..2026-11-15" }));
    expect(shown(range.callback.data)).toContain("Leaderboard · 1 Nov – 15 Nov 2026 · revenue");
    const set = await run(
      chatInput("goal", "set", { target: "60k", period: "next month", member: { user: BEN } }, BENS),
    );
    expect(shown(set.callback.data)).toContain(
      "December 2026 (1 Dec – 31 Dec) · ben: target €60,000, not started yet",
    );
    const show = await run(chatInput("goal", "show", { member: { user: BEN }, period: "2026-12" }, BENS));
    expect(shown(show.callback.data)).toContain("Goals: ben · December 2026 (1 Dec – 31 Dec)");
    const refused = await run(
      chatInput("goal", "delete", { member: { user: BEN }, period: "next month" }, BENS),
      BEN,
    );
    expect(refused.callback.data?.flags).toBe(64);
    expect(shown(refused.callback.data)).toContain("Only a manager or an admin can do that.");
    const deleted = await run(
      chatInput("goal", "delete", { member: { user: BEN }, period: "next month" }, BENS),
    );
    expect(shown(deleted.callback.data)).toContain("December 2026 (1 Dec – 31 Dec) · revenue: €60,000");
    const none = await run(
      chatInput("goal", "delete", { member: { user: BEN }, period: "next month" }, BENS),
    );
    expect(shown(none.callback.data)).toContain(
      "No goal for ben in December 2026 (1 Dec – 31 Dec): nothing was deleted.",
    );
    const past = await run(chatInput("forecast", undefined, { period: "Q3" }));
    expect(past.callback.data?.flags).toBe(64);
    expect(shown(past.callback.data)).toContain("“Q3” is over");
  });

  it("GIVEN typing in a period option THEN the common periods it takes are suggested, with their days", async () => {
    const typing = (name: string, sub: string | undefined, value: string) =>
      emu.interact({
        type: 4,
        guildId: GUILD,
        userId: ADA,
        data: {
          id: `cmd-${name}`,
          name,
          type: 1,
          options: sub
            ? [{ type: 1, name: sub, options: [{ type: 3, name: "period", value, focused: true }] }]
            : [{ type: 3, name: "period", value, focused: true }],
        },
      });
    const kpi = await typing("kpi", undefined, "last");
    expect(kpi.callback.data?.choices).toEqual([
      { name: "last month · October 2026 (1 Oct – 31 Oct)", value: "last month" },
      { name: "last week · 9 Nov – 15 Nov 2026", value: "last week" },
      { name: "last quarter · Q3 2026 (1 Jul – 30 Sep)", value: "last quarter" },
      { name: "last year · 2025 (1 Jan – 31 Dec)", value: "last year" },
    ]);
    // A goal takes no week; a forecast nothing over; what is typed comes first when it is a period.
    const goal = await typing("goal", "set", "next");
    expect(((goal.callback.data?.choices ?? []) as { value: string }[]).map((c) => c.value)).toEqual([
      "next month",
      "next quarter",
      "next year",
    ]);
    const forecast = await typing("forecast", undefined, "2027-Q1");
    expect(forecast.callback.data?.choices).toEqual([
      { name: "2027-Q1 · Q1 2027 (1 Jan – 31 Mar)", value: "2027-Q1" },
    ]);
    expect((await typing("forecast", undefined, "last")).callback.data?.choices).toEqual([]);
  });

  it("GIVEN the Won button THEN the deal is won by the clicking member, and a refusal for another", async () => {
    const { callback: shownDeal } = await run(chatInput("deal", "show", { deal: "2" }));
    const rows = shownDeal.data?.components as { components: { custom_id: string; type: number }[] }[];
    const won = rows[0]?.components.find((c) => c.custom_id.includes("won"));
    expect(won?.custom_id).toBe("run:/deal won #2");
    const click = (userId: string) =>
      emu.interact({
        type: 3,
        guildId: GUILD,
        channelId: CHANNEL,
        userId,
        data: { custom_id: won?.custom_id, component_type: 2 },
        message: { id: "930000000000000001", content: "", embeds: [], components: rows },
      });
    const refused = await click(CARL);
    expect(shown(refused.callback.data)).toMatch(/Only ben, their manager or an admin/);
    const accepted = await click(BEN);
    expect(shown(accepted.callback.data)).toContain("🎉 Deal #2 won by ben");
  });

  it("GIVEN a lost reason picked in the select THEN the deal is lost with it", async () => {
    const { callback } = await run(chatInput("deal", "log", { amount: "1k", customer: "Picky" }));
    const rows = callback.data?.components as {
      components: { custom_id: string; type: number; options?: { value: string }[] }[];
    }[];
    const select = rows.flatMap((r) => r.components).find((c) => c.type === 3);
    const value = select?.options?.find((o) => o.value.endsWith("reason:competitor"))?.value;
    const picked = await emu.interact({
      type: 3,
      guildId: GUILD,
      channelId: CHANNEL,
      userId: ADA,
      data: { custom_id: select?.custom_id, component_type: 3, values: [value] },
      message: { id: "930000000000000002", content: "", embeds: [], components: rows },
    });
    expect(shown(picked.callback.data)).toMatch(/Deal #\d+ lost \(competitor\)/);
  });

  it("GIVEN /deal log with no options THEN a form opens, and submitting it logs the deal", async () => {
    const { callback } = await run(chatInput("deal", "log", {}));
    expect(callback.type).toBe(9);
    expect(callback.data?.custom_id).toBe("deal_log");
    const field = (custom_id: string, value: string) => ({
      type: 1,
      components: [{ type: 4, custom_id, value }],
    });
    const bad = await emu.interact({
      type: 5,
      guildId: GUILD,
      channelId: CHANNEL,
      userId: ADA,
      data: { custom_id: "deal_log", components: [field("amount", "abc"), field("customer", "Form Corp")] },
    });
    expect(shown(bad.callback.data)).toContain("“abc” is not an amount");
    expect(bad.callback.data?.flags).toBe(64);
    const good = await emu.interact({
      type: 5,
      guildId: GUILD,
      channelId: CHANNEL,
      userId: ADA,
      data: {
        custom_id: "deal_log",
        components: [
          field("amount", "4,500"),
          field("customer", "Form Corp"),
          field("stage", "qualified"),
          field("source", ""),
          field("close", ""),
        ],
      },
    });
    expect(shown(good.callback.data)).toMatch(/Deal #\d+ logged/);
    expect(
      await db.prisma.deal.count({
        where: { customer: { name: "Form Corp" }, stage: "qualified", amount: 450_000n },
      }),
    ).toBe(1);
  });

  it("GIVEN the same interaction delivered twice THEN one deal is logged", async () => {
    const data = chatInput("deal", "log", { amount: "2k", customer: "Twice" });
    const first = await run(data, ADA, GUILD, "940000000000000001");
    expect(shown(first.callback.data)).toContain("logged");
    await expect(run(data, ADA, GUILD, "940000000000000001")).rejects.toThrow();
    expect(await db.prisma.deal.count({ where: { customer: { name: "Twice" } } })).toBe(1);
  });

  it("GIVEN Discord answers 429 on the callback THEN it is retried after Retry-After and delivered", async () => {
    emu.failNext("POST", /^\/interactions\/\d+\/[^/]+\/callback$/, { status: 429, retryAfter: 0.2 });
    const { callback } = await run(chatInput("deal", "log", { amount: "6k", customer: "Throttled" }));
    expect(shown(callback.data)).toContain("logged");
    const attempts = emu.requests.filter(
      (r) => /\/callback$/.test(r.path) && JSON.stringify(r.body).includes("Throttled"),
    );
    expect(attempts.map((a) => a.status)).toEqual([429, 204]);
  });

  it("GIVEN a customer called @everyone THEN nobody is pinged", async () => {
    const { callback } = await run(chatInput("deal", "log", { amount: "1k", customer: "@everyone <@&1>" }));
    expect(shown(callback.data)).toContain("@everyone");
    expect(callback.data?.allowed_mentions).toEqual({ parse: [] });
  });

  it("GIVEN a manager role configured THEN its holders may set goals; others may not", async () => {
    const before = await run(chatInput("goal", "set", { target: "5k", company: true }), MIA);
    expect(shown(before.callback.data)).toContain("Only a manager or an admin can do that.");
    const set = await run(
      chatInput("closer", "config-set", { key: "manager_role", value: `<@&${MANAGERS_ROLE}>` }),
    );
    expect(shown(set.callback.data)).toContain(`manager_role is now ${MANAGERS_ROLE}`);
    const after = await run(chatInput("goal", "set", { target: "5k", company: true }), MIA);
    expect(shown(after.callback.data)).toContain("Goal set for company");
  });

  it("GIVEN a RECONNECT in the middle of the session THEN the session resumes and loses nothing", async () => {
    const reconnected = emu.requestReconnect();
    const during = run(chatInput("deal", "log", { amount: "9k", customer: "Resumed" }));
    await reconnected;
    expect(shown((await during).callback.data)).toContain("logged");
    expect(emu.gatewayEvents.some((e) => e.op === 6)).toBe(true);
    expect(await db.prisma.deal.count({ where: { customer: { name: "Resumed" } } })).toBe(1);
  });

  it("GIVEN two guilds with the same customer and numbers THEN neither sees the other's, and French follows the guild", async () => {
    const { callback } = await run(chatInput("deal", "log", { amount: "50k", customer: "Acme" }), ADA, OTHER);
    expect(shown(callback.data)).toContain("Affaire n° 1 enregistrée");
    const theirs = await run(chatInput("deal", "show", { deal: "1" }), ADA, OTHER);
    expect(shown(theirs.callback.data)).toContain("50\u202f000,00\u00a0€");
    const ours = await run(chatInput("deal", "show", { deal: "1" }));
    expect(shown(ours.callback.data)).toContain("€12,000.00");
  });

  it("GIVEN a user no command has named yet THEN refused commands naming them add no member, and the one that succeeds does", async () => {
    const DORA = "920000000000000011";
    emu.addMember(GUILD, { id: DORA, username: "dora", permissions: "0" });
    const dora = () => db.prisma.member.count({ where: { platformUserId: DORA } });
    const missing = await run(
      chatInput("deal", "assign", { deal: "999", to: { user: DORA } }, { [DORA]: "dora" }),
    );
    expect(shown(missing.callback.data)).toContain("There is no deal #999.");
    const forbidden = await run(
      chatInput("goal", "set", { target: "5k", member: { user: DORA } }, { [DORA]: "dora" }),
      BEN,
    );
    expect(shown(forbidden.callback.data)).toContain("Only a manager or an admin");
    expect(await dora()).toBe(0);
    const done = await run(
      chatInput("deal", "assign", { deal: "1", to: { user: DORA } }, { [DORA]: "dora" }),
    );
    expect(shown(done.callback.data)).toContain("Deal #1 now belongs to dora");
    expect(await dora()).toBe(1);
  });
});

describe("Discord when the answer is slow", () => {
  /** A guild on an emulator of its own, with Closer deferring every answer (a defer budget of 0). */
  async function deferring(
    test: (
      interact: (data: Record<string, unknown>) => ReturnType<DiscordEmulator["interact"]>,
      own: DiscordEmulator,
    ) => Promise<void>,
    deferAfterMs = 0,
  ) {
    const own = await startDiscordEmulator({ interactionDeadlineMs: 15_000 });
    own.addGuild({ id: GUILD, name: "Acme Sales", channels: [{ id: CHANNEL, name: "sales" }] });
    own.addMember(GUILD, { id: ADA, username: "ada", permissions: MANAGE_GUILD });
    const slow = await startDiscordPlatform(db, own, deferAfterMs);
    try {
      await own.connected();
      await test(
        (data) => own.interact({ type: 2, guildId: GUILD, channelId: CHANNEL, userId: ADA, data }),
        own,
      );
    } finally {
      await slow.platform.stop();
      await own.close();
    }
  }

  it("GIVEN an answer past the defer budget THEN the interaction is deferred and the answer edits it", async () => {
    await deferring(async (interact, own) => {
      const result = await interact(chatInput("kpi", undefined, { period: "month" }));
      expect(result.callback.type).toBe(5);
      const edited = await own.waitForInteractionMessage(result.token, "original");
      expect(shown(edited)).toContain("KPIs · This month · company");
    });
  });

  it("GIVEN a database that holds the interaction up THEN it is deferred within the budget and answered once it moves", async () => {
    await deferring(async (interact, own) => {
      const release = await holdClaims(db);
      const answered = interact(chatInput("deal", "log", { amount: "3k", customer: "Held Guild Co" }));
      const result = await Promise.race([
        answered,
        new Promise<"late">((resolve) => setTimeout(resolve, 2000, "late")),
      ]);
      await release();
      expect(result === "late" ? "no callback within 2 s" : result.callback.type).toBe(5);
      const { token } = await answered;
      expect(shown(await own.waitForInteractionMessage(token, "original"))).toMatch(/Deal #\d+ logged/);
    }, 200);
  });

  it("GIVEN deferred answers THEN a command for the channel is deferred publicly and a personal one privately", async () => {
    await deferring(async (interact) => {
      const board = await interact(chatInput("leaderboard", undefined, { period: "month" }));
      expect([board.callback.type, board.callback.data?.flags ?? 0]).toEqual([5, 0]);
      const kpi = await interact(chatInput("kpi", undefined, { period: "month" }));
      expect([kpi.callback.type, kpi.callback.data?.flags]).toEqual([5, 64]);
    });
  });
});
