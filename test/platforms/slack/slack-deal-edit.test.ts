import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { SIGNING_SECRET, startSlackPlatform, textOf } from "./support.js";

let emu: SlackEmulator;
let db: Database;
let slack: Awaited<ReturnType<typeof startSlackPlatform>>;
let team: string;

const ALICE = "U0ALICE";

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

type Blocks = { type: string; elements?: { action_id: string; value?: string }[] }[];
const buttons = (json: unknown) =>
  ((json as { blocks?: Blocks }).blocks ?? []).find((b) => b.type === "actions")?.elements ?? [];

const click = (actionId: string, value: string) =>
  emu.sendInteraction(slack.appUrl, {
    type: "block_actions",
    team: { id: team },
    user: { id: ALICE, team_id: team },
    channel: { id: "C0SALES" },
    container: { type: "message", channel_id: "C0SALES" },
    actions: [{ type: "button", action_id: actionId, value, action_ts: `${Date.now()}.${Math.random()}` }],
  });

const deal = (number: number) => db.prisma.deal.findFirstOrThrow({ where: { number } });

describe("Slack: editing and deleting a deal", () => {
  it("GIVEN a deal's Edit button THEN a form opens prefilled, refusals land on their field, and saving edits the deal", async () => {
    const logged = await command('/deal log 12k Acme close:2026-12-15 title:"Pilot"');
    expect(textOf(logged.json)).toContain("Deal #1 logged");
    const shown = await command("/deal show #1");
    const edit = buttons(shown.json).find((b) => b.action_id === "deal.edit");
    expect(edit?.value).toBe("/deal edit #1");

    await click("deal.edit", edit?.value ?? "");
    const opened = await emu.waitForCall(
      "views.open",
      (c) => (c.params.view as { callback_id?: string }).callback_id === "deal_edit",
    );
    const view = opened.params.view as {
      private_metadata: string;
      blocks: { block_id: string; element: { initial_value?: string; initial_date?: string } }[];
    };
    expect(
      Object.fromEntries(
        view.blocks.map((b) => [b.block_id, b.element.initial_value ?? b.element.initial_date]),
      ),
    ).toEqual({
      amount: "12000",
      customer: "Acme",
      title: "Pilot",
      source: undefined,
      close: "2026-12-15",
    });

    const submit = (values: Record<string, unknown>) =>
      emu.sendInteraction(slack.appUrl, {
        type: "view_submission",
        team: { id: team },
        user: { id: ALICE, team_id: team },
        view: {
          id: `V0EDIT${Date.now()}`,
          callback_id: "deal_edit",
          private_metadata: view.private_metadata,
          state: { values },
        },
      });
    const text = (value: string) => ({ value: { type: "plain_text_input", value } });
    const unchanged = {
      customer: text("Acme"),
      title: text("Pilot"),
      close: { value: { type: "datepicker", selected_date: "2026-12-15" } },
    };
    const bad = await submit({ amount: text("-5"), ...unchanged });
    expect(bad.json).toEqual({
      response_action: "errors",
      errors: { amount: "The amount must be above zero, for example 12k." },
    });
    expect((await deal(1)).amount).toBe(1_200_000n);

    const good = await submit({ amount: text("15000"), ...unchanged, title: text("Pilot, phase 2") });
    expect(good.status).toBe(200);
    const posted = await emu.waitForCall("chat.postMessage", (c) =>
      String(c.params.text).includes("Deal #1 edited"),
    );
    expect(posted.params.channel).toBe("C0SALES");
    expect(String(posted.params.text)).toContain("Amount: €12,000.00 → €15,000.00");
    expect(String(posted.params.text)).toContain("Title: Pilot → Pilot, phase 2");
    expect(await deal(1)).toMatchObject({ amount: 1_500_000n, title: "Pilot, phase 2" });
  });

  it("GIVEN /deal delete typed THEN it asks first; the Yes button deletes, and /deal restore asks too", async () => {
    await command("/deal log 3k Globex");
    const asked = await command("/deal delete #2");
    expect(asked.json).toMatchObject({ response_type: "ephemeral" });
    expect(textOf(asked.json)).toContain("Delete deal #2?");
    const yes = buttons(asked.json)[0];
    expect(yes).toMatchObject({ action_id: "confirm", value: "/deal delete #2" });
    expect((await deal(2)).deletedAt).toBeNull();

    const done = await click("confirm", yes?.value ?? "");
    expect(textOf(await emu.waitForResponse(done.responseUrlId ?? ""))).toContain("Deal #2 deleted");
    expect((await deal(2)).deletedAt).not.toBeNull();

    const restore = await command("/deal restore #2");
    expect(textOf(restore.json)).toContain("Restore deal #2?");
    expect((await deal(2)).deletedAt).not.toBeNull();
    const restored = await click("confirm", buttons(restore.json)[0]?.value ?? "");
    expect(textOf(await emu.waitForResponse(restored.responseUrlId ?? ""))).toContain("Deal #2 restored");
    expect((await deal(2)).deletedAt).toBeNull();
  });
});
