import { describe, expect, it } from "vitest";
import { chatInput, frenchGuildOfTwo, shown } from "./support.js";

const guild = frenchGuildOfTwo(7);
const { GUILD, CHANNEL, ADA, BEN } = guild;

type Rows = { components: { custom_id: string; type: number; label?: string }[] }[];

const run = async (data: Record<string, unknown>, userId = BEN) => {
  const result = await guild
    .emulator()
    .interact({ type: 2, guildId: GUILD, channelId: CHANNEL, userId, data });
  const reply =
    result.callback.type === 5
      ? await guild.emulator().waitForInteractionMessage(result.token, "original")
      : result.callback.data;
  return { text: shown(reply), rows: (reply?.components ?? []) as Rows };
};

const click = (customId: string, userId = BEN) =>
  guild.emulator().interact({
    type: 3,
    guildId: GUILD,
    channelId: CHANNEL,
    userId,
    data: { custom_id: customId, component_type: 2 },
    message: { id: "930000000000000071", content: "", embeds: [], components: [] },
  });

describe("Discord: /focus, in French", () => {
  it("GIVEN a rep's deals THEN /focus lists them in French with a button each, and pressing one does it", async () => {
    // Ada first: the guild's first member is its admin.
    expect((await run(chatInput("focus", undefined), ADA)).text).toContain("Rien d’urgent aujourd’hui");
    await run(
      chatInput("deal", "log", {
        amount: "12k",
        customer: "Acme",
        stage: "negotiation",
        close: "2026-11-20",
      }),
    );
    await run(
      chatInput("deal", "log", { amount: "4k", customer: "Initech", stage: "proposal", close: "2026-11-10" }),
    );

    const focus = await run(chatInput("focus", undefined));
    expect(focus.text).toBe(
      [
        "🎯 Priorités de ben · 18 nov. 2026",
        "1. #1 Acme doit être conclue le 20 nov. 2026 · 9\u202f000\u00a0€ pondérés",
        "2. #2 Initech devait être conclue le 10 nov. 2026 · 2\u202f000\u00a0€ pondérés",
      ].join("\n"),
    );
    expect(focus.rows.flatMap((r) => r.components.map((c) => [c.label, c.custom_id]))).toEqual([
      ["1. Gagnée", "run:/deal won #1"],
      ["2. Changer la date de clôture", "form:/deal edit #2"],
    ]);

    await click("run:/deal won #1");
    expect((await guild.db().prisma.deal.findFirstOrThrow({ where: { number: 1 } })).stage).toBe("won");
    const form = await click("form:/deal edit #2");
    expect(form.callback.type).toBe(9);
    expect(JSON.stringify(form.callback.data)).toContain("2026-11-10");
  });

  it("GIVEN another member's list THEN a rep is refused in French, and the admin sees the rep's and everyone's", async () => {
    expect((await run(chatInput("focus", undefined, { member: { user: ADA } }, { [ADA]: "ada" }))).text).toBe(
      "\nSeul un admin ou le manager de Ada peut faire cela.",
    );
    expect(
      (await run(chatInput("focus", undefined, { member: { user: BEN } }, { [BEN]: "ben" }), ADA)).text,
    ).toContain("1. #2 Initech");
    expect((await run(chatInput("focus", undefined, { view: "team" }), ADA)).text).toContain(
      "1. #2 Initech devait être conclue le 10 nov. 2026 · 2\u202f000\u00a0€ pondérés · ben",
    );
  });
});
