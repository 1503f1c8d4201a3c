import { describe, expect, it } from "vitest";
import { COMMANDS, SLASH_COMMANDS } from "../../../src/commands/registry.js";
import { fr } from "../../../src/messages/catalog/fr.js";
import { DISCORD_COMMANDS, discordCommandJson } from "../../../src/platforms/discord/command-definitions.js";

interface Option {
  type: number;
  name: string;
  name_localizations?: { fr?: string };
  description: string;
  description_localizations?: { fr?: string };
  required?: boolean;
  choices?: { name: string; value: string; name_localizations?: { fr?: string } }[];
  autocomplete?: boolean;
  options?: Option[];
}

const NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;

/** Discord's documented limits on application commands. */
function checkOptions(options: Option[], where: string): number {
  expect(options.length, where).toBeLessThanOrEqual(25);
  let chars = 0;
  let seenOptional = false;
  for (const o of options) {
    const at = `${where} ${o.name}`;
    expect(o.name, at).toMatch(NAME);
    if (o.name_localizations?.fr) expect(o.name_localizations.fr, at).toMatch(NAME);
    expect(o.description.length, at).toBeGreaterThan(0);
    expect(o.description.length, at).toBeLessThanOrEqual(100);
    chars += o.name.length + o.description.length;
    if (o.type !== 1) {
      if (o.required) expect(seenOptional, `${at}: required after optional`).toBe(false);
      else seenOptional = true;
    }
    if (o.choices) {
      expect(o.choices.length, at).toBeLessThanOrEqual(25);
      expect(o.autocomplete, `${at}: choices and autocomplete`).toBeUndefined();
      for (const c of o.choices) {
        expect(c.name.length, at).toBeLessThanOrEqual(100);
        chars += c.name.length + c.value.length;
      }
    }
    if (o.options) chars += checkOptions(o.options, at);
  }
  return chars;
}

describe("Discord command definitions", () => {
  const json = discordCommandJson() as unknown as (Option & { dm_permission: boolean })[];

  it("GIVEN the shared registry THEN Discord registers the same eight slash commands", () => {
    expect(json.map((c) => c.name)).toEqual([...SLASH_COMMANDS]);
  });

  it("GIVEN every command THEN names, descriptions, option counts, order, choices and sizes fit Discord's limits", () => {
    for (const command of json) {
      expect(command.name).toMatch(NAME);
      expect(command.description.length).toBeLessThanOrEqual(100);
      const chars =
        command.name.length + command.description.length + checkOptions(command.options ?? [], command.name);
      expect(chars, command.name).toBeLessThanOrEqual(4000);
    }
  });

  it("GIVEN the shared commands THEN each (but the text-only /deal form) is reachable from Discord", () => {
    const reachable = new Set(DISCORD_COMMANDS.map((s) => s.command));
    const shared = COMMANDS.map((c) => c.name).filter((n) => n !== "deal");
    expect(shared.filter((n) => !reachable.has(n))).toEqual([]);
  });

  it("GIVEN French users THEN every command, sub-command and option is described in French, and choices are named in French", () => {
    const french: string[] = [];
    const walk = (o: Option, at: string) => {
      const fr = o.description_localizations?.fr ?? "";
      expect(fr.length, `${at}: French description`).toBeGreaterThan(0);
      expect(fr.length, at).toBeLessThanOrEqual(100);
      french.push(fr);
      for (const c of o.choices ?? []) expect(c.name_localizations?.fr, `${at} ${c.value}`).toBeTruthy();
      for (const child of o.options ?? []) walk(child, `${at} ${child.name}`);
    };
    for (const command of json) walk(command, command.name);
    expect(json.find((c) => c.name === "deal")?.description_localizations?.fr).toBe(fr["slash.deal"]);
    const stage = json
      .find((c) => c.name === "deal")
      ?.options?.find((o) => o.name === "stage")
      ?.options?.find((o) => o.name === "stage");
    expect(stage?.choices?.find((c) => c.value === "negotiation")?.name_localizations?.fr).toBe(
      "négociation",
    );
    // Options are named with their French key too, as French users type them in text.
    const log = json.find((c) => c.name === "deal")?.options?.find((o) => o.name === "log");
    expect(log?.options?.find((o) => o.name === "stage")?.name_localizations?.fr).toBe("étape");
    expect(log?.options?.find((o) => o.name === "close")?.name_localizations?.fr).toBe("clôture");
  });

  it("GIVEN a period option THEN it is a free string with suggestions, not a list of choices", () => {
    const periods: string[] = [];
    const walk = (o: Option, at: string) => {
      if (o.name === "period" && o.type === 3) {
        periods.push(at);
        expect(o.choices, at).toBeUndefined();
        expect(o.autocomplete, at).toBe(true);
      }
      for (const child of o.options ?? []) walk(child, `${at} ${child.name}`);
    };
    for (const command of json) walk(command, command.name);
    expect(periods.sort()).toEqual([
      "closer export-deals period",
      "forecast period",
      "goal delete period",
      "goal set period",
      "goal show period",
      "kpi period",
      "leaderboard period",
      "wins period",
    ]);
  });
});
