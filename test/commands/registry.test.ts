import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { ParseContext } from "../../src/commands/command.js";
import { describeIssue, readCommandLine, validate } from "../../src/commands/execute.js";
import { COMMANDS, commandNamed, SLASH_COMMANDS, SLASH_DESCRIPTIONS } from "../../src/commands/registry.js";
import { usageOf } from "../../src/commands/usage.js";
import { fr } from "../../src/messages/catalog/fr.js";
import { isMessageKey, translate, translator } from "../../src/messages/i18n.js";
import { createTestSales, run, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/*
 * A command is declared once; its usage lines, its text grammar, its schema and the documents that
 * list it (README, manifest.yml) all follow from that declaration, or a test here fails.
 */

const parseContext = (locale: "en" | "fr"): ParseContext => ({
  locale,
  currency: "EUR",
  timezone: "UTC",
  weekStart: "monday",
  fiscalYearStart: 1,
  now: new Date("2026-11-18T10:00:00Z"),
});

const named = (name: string) => {
  const command = commandNamed(name);
  if (!command) throw new Error(`no command ${name}`);
  return command;
};

describe("usage lines", () => {
  it.each([
    [
      "deal log",
      '/deal log [amount] <customer…> [stage:<stage>] [source:<src>] [close:<date>] [title:"…"] [for:@rep] [products:"<product, …>"]',
      '/deal log [montant] <client…> [étape:<étape>] [source:<source>] [clôture:<date>] [titre:"…"] [pour:@commercial] [produits:"<produit, …>"]',
    ],
    [
      "deal lost",
      '/deal lost <#n> reason:<price|product|timing|competitor|no_decision|other> [note:"…"]',
      '/deal lost <#n> raison:<prix|produit|calendrier|concurrent|indécision|autre> [note:"…"]',
    ],
    [
      "goal set",
      "/goal set <amount|count> <@rep|team:<name>|company> [period] [metric:revenue|deals]",
      "/goal set <montant|nombre> <@commercial|équipe:<nom>|entreprise> [période] [indicateur:chiffre|affaires]",
    ],
    [
      "goal delete",
      "/goal delete <@rep|team:<name>|company> <period> [metric:revenue|deals]",
      "/goal delete <@commercial|équipe:<nom>|entreprise> <période> [indicateur:chiffre|affaires]",
    ],
    [
      "forecast",
      "/forecast [period] [@rep|team:<name>|company]",
      "/forecast [période] [@commercial|équipe:<nom>|entreprise]",
    ],
    ["remind done", "/remind done <id>", "/remind done <n°>"],
  ])("GIVEN %s THEN its usage is derived in English and in French", (name, english, french) => {
    expect(usageOf(named(name), "en")).toBe(english);
    expect(usageOf(named(name), "fr")).toBe(french);
  });

  it("GIVEN every choice shown in French THEN the grammar reads it back to its value", () => {
    for (const command of COMMANDS) {
      for (const [name, option] of Object.entries(command.options)) {
        const words = option.choices;
        if (!words) continue;
        for (const value of words.values) {
          expect(words.read(words.word(value, "fr")), `${command.name} ${name}:${value}`).toBe(value);
          expect(words.read(value), `${command.name} ${name}:${value}`).toBe(value);
        }
      }
    }
  });
});

describe("strict input", () => {
  it("GIVEN every command THEN its schema reads each of its options, and refuses any other key in the user's language", () => {
    for (const command of COMMANDS) {
      const every = Object.fromEntries(Object.keys(command.options).map((k) => [k, "x"]));
      const parsed = validate(command, every, parseContext("en"));
      const unread = parsed.success ? [] : parsed.error.issues.filter((i) => i.code === "unrecognized_keys");
      expect(unread, command.name).toEqual([]);

      const stray = validate(command, { ...every, bogus: "x" }, parseContext("fr"));
      expect(stray.success, command.name).toBe(false);
      const issues = stray.success ? [] : stray.error.issues;
      const sentence = issues.find((i) => i.code === "unrecognized_keys");
      expect(sentence && describeIssue(translator("fr"), sentence), command.name).toBe(
        fr["input.unexpected"].replace("{value}", "bogus"),
      );
    }
  });

  it("GIVEN any option of a command written name:value THEN the text form reads it; another command's option is refused", () => {
    const ctx = { t: translator("en"), locale: "en" as const, parse: parseContext("en") };
    const read = readCommandLine(ctx, "/kpi period:mois view:perdus");
    expect(read.ok && read.raw).toEqual({ period: "mois", view: "perdus" });
    const refused = readCommandLine(ctx, "/kpi metric:deals");
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reply.lines.join("\n")).toContain("“metric:deals” is not understood here");
    expect(!refused.ok && refused.reply.lines.join("\n")).toContain("Usage: /kpi");
  });

  it("GIVEN every option THEN errors can name it in English and in French", () => {
    for (const command of COMMANDS) {
      for (const name of Object.keys(command.options)) {
        const label = `field.${name}`;
        expect(isMessageKey(label), `${command.name}: ${label}`).toBe(true);
        if (isMessageKey(label)) expect(fr[label].length).toBeGreaterThan(0);
      }
    }
  });
});

describe("the documents that list the commands", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

  it("GIVEN the README's command table THEN it lists exactly the registry's commands, as their usage reads", () => {
    const section = readme.slice(
      readme.indexOf("## Commands"),
      readme.indexOf("\n## ", readme.indexOf("## Commands") + 1),
    );
    const listed = section
      .split("\n")
      .filter((line) => line.startsWith("| `/"))
      .map((line) => /^\| `([^`]+)`/.exec(line)?.[1]?.replaceAll("\\|", "|"));
    expect(listed.sort()).toEqual(COMMANDS.map((c) => usageOf(c, "en")).sort());
  });

  it("GIVEN manifest.yml THEN its slash commands are the registry's, described as Discord describes them", () => {
    const manifest = parse(readFileSync(new URL("../../manifest.yml", import.meta.url), "utf8")) as {
      features: { slash_commands: { command: string; description: string }[] };
    };
    expect(manifest.features.slash_commands.map((c) => [c.command, c.description])).toEqual(
      SLASH_COMMANDS.map((slash) => [`/${slash}`, translate("en", SLASH_DESCRIPTIONS[slash])]),
    );
  });

  it("GIVEN /closer help in a French workspace THEN every line is a command's French usage", async () => {
    const db = await openTestDatabase();
    try {
      const { sales } = createTestSales(db);
      const ws = await seedWorkspace(sales, { locale: "fr" });
      const admin = await seedMember(sales, ws, "admin", "admin");
      const help = await run(sales, ws, admin, "/closer help");
      expect(help.title).toBe(fr["help.title"]);
      expect(help.lines).toEqual(COMMANDS.filter((c) => c.name !== "deal").map((c) => usageOf(c, "fr")));
      expect(help.lines).toContain(
        '/deal log [montant] <client…> [étape:<étape>] [source:<source>] [clôture:<date>] [titre:"…"] [pour:@commercial] [produits:"<produit, …>"]',
      );
    } finally {
      await db.close();
    }
  });
});
