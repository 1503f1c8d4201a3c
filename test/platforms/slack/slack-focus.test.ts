import { beforeAll, describe, expect, it } from "vitest";
import { answerText, slackTeamOfTwo, textOf } from "./support.js";

const fixture = slackTeamOfTwo();
const { ALICE, BOB } = fixture;
const CAROL = "U0CAROL";
const emu = () => fixture.emulator();
let team: string;
beforeAll(() => {
  team = emu().workspace.teamId;
  emu().addUser({ id: CAROL, teamId: team, name: "carol", tz: "UTC", locale: "en-US" });
});

const send = (name: string, text: string, userId: string) =>
  emu().sendCommand(fixture.appUrl(), { command: name, text, teamId: team, userId, channelId: "C0SALES" });
const command = async (name: string, text: string, userId = BOB) =>
  answerText(emu(), await send(name, text, userId));

type Button = { action_id: string; value?: string; text: { text: string } };
const buttons = (json: unknown) =>
  ((json as { blocks?: { type: string; elements?: Button[] }[] }).blocks ?? []).find(
    (b) => b.type === "actions",
  )?.elements ?? [];

const press = (userId: string, button: Button | undefined) =>
  emu().sendInteraction(fixture.appUrl(), {
    type: "block_actions",
    team: { id: team },
    user: { id: userId, team_id: team },
    channel: { id: "C0SALES" },
    container: { type: "message", channel_id: "C0SALES" },
    trigger_id: `T${Math.random()}`,
    actions: [
      {
        type: "button",
        action_id: button?.action_id ?? "",
        value: button?.value ?? "",
        action_ts: `${Date.now()}.${Math.random()}`,
      },
    ],
  });
/** Presses a button and reads its answer. */
const click = async (userId: string, button: Button | undefined) => {
  const res = await press(userId, button);
  return res.responseUrlId ? textOf(await emu().waitForResponse(res.responseUrlId)) : "";
};

describe("Slack: /focus", () => {
  it("GIVEN a rep's deals and follow-ups THEN /focus lists them by value with one button each, and pressing one does it", async () => {
    await command("/deal", "log 12k Acme stage:negotiation close:2026-11-20");
    await command("/deal", "log 2k Globex");
    await command("/deal", "log 4k Initech stage:proposal close:2026-11-10");
    expect(await command("/remind", "#2 today send the quote")).toContain("send the quote");
    const reminder = await fixture
      .db()
      .prisma.reminder.findFirstOrThrow({ where: { text: "send the quote" } });

    const shown = await send("/focus", "", BOB);
    const text = textOf(shown.json);
    expect(text).toContain("🎯 Focus for bob");
    expect(text).toContain("1. #1 Acme is expected to close Nov 20, 2026 · €9,000 weighted");
    expect(text).toContain("2. #3 Initech was expected to close Nov 10, 2026 · €2,000 weighted");
    expect(text).toContain("3. Follow up #2 Globex: send the quote (due Nov 18, 2026) · €200 weighted");
    expect(buttons(shown.json).map((b) => [b.action_id, b.text.text, b.value])).toEqual([
      ["focus.1", "1. Mark won", "/deal won #1"],
      ["deal.edit.2", "2. Update close date", "/deal edit #3"],
      ["focus.3", "3. Mark done", `/remind done ${reminder.id}`],
    ]);

    // Someone else's press runs as them: carol may not change bob's deal.
    expect(await click(CAROL, buttons(shown.json)[0])).toContain("Only bob, their manager or an admin");
    expect((await fixture.db().prisma.deal.findFirstOrThrow({ where: { number: 1 } })).stage).toBe(
      "negotiation",
    );

    expect(await click(BOB, buttons(shown.json)[2])).toContain("Reminder done");
    expect((await fixture.db().prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).done).toBe(
      true,
    );
    expect(await click(BOB, buttons(shown.json)[0])).toContain("#1");
    expect((await fixture.db().prisma.deal.findFirstOrThrow({ where: { number: 1 } })).stage).toBe("won");

    await press(BOB, buttons(shown.json)[1]);
    const opened = await emu().waitForCall(
      "views.open",
      (c) => (c.params.view as { callback_id?: string }).callback_id === "deal_edit",
    );
    expect(JSON.stringify(opened.params.view)).toContain("2026-11-10");

    expect(await command("/focus", "")).toBe(
      "🎯 Focus for bob · Nov 18, 2026\n1. #3 Initech was expected to close Nov 10, 2026 · €2,000 weighted",
    );
  });

  it("GIVEN another rep's list THEN a rep is refused, an admin sees it, and the admin's team list is everyone's", async () => {
    expect(await command("/focus", "", ALICE)).toContain("Nothing needs you today");
    expect(await command("/focus", `<@${ALICE}|alice>`, CAROL)).toBe(
      "⚠️ Only an admin or alice's manager can do that.",
    );
    expect(await command("/focus", `<@${BOB}|bob>`, ALICE)).toContain("1. #3 Initech");
    expect(await command("/focus", "team", ALICE)).toContain(
      "1. #3 Initech was expected to close Nov 10, 2026 · €2,000 weighted · bob",
    );
    expect(await command("/focus", "team", CAROL)).toBe("⚠️ Only a manager or an admin can do that.");
    expect(await command("/focus", "bogus", CAROL)).toContain("bogus");
  });
});
