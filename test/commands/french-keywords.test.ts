import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Option, ParseContext } from "../../src/commands/command.js";
import { readCommandLine } from "../../src/commands/execute.js";
import { KEY_WORDS, type KeyWord } from "../../src/commands/grammar/words.js";
import { COMMANDS } from "../../src/commands/registry.js";
import type { Database } from "../../src/db/client.js";
import { fr } from "../../src/messages/catalog/fr.js";
import { translator } from "../../src/messages/i18n.js";
import type { Reply } from "../../src/messages/reply.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, run, seedMember, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/*
 * Every English keyword has a French twin that means the same, wherever the English one is read:
 * the keys of `key:value` options and the words of every vocabulary (stages, reasons, periods,
 * metrics, views, lists, roles, the company).
 */

const parse: ParseContext = {
  locale: "fr",
  currency: "EUR",
  timezone: "Europe/Paris",
  weekStart: "monday",
  fiscalYearStart: 1,
  now: new Date("2026-11-18T10:00:00Z"),
};
const ctx = { t: translator("fr"), locale: "fr" as const, parse };

const options = COMMANDS.flatMap((command) =>
  Object.entries(command.options).map(([name, option]) => ({ command, name, option })),
);
/** Setting names are identifiers, shown as they are typed by config show; their values are read by the service. */
const isSettingName = (name: string, option: Option) => name === "key" && !option.named;

describe("French option keys", () => {
  it.each(options.filter((o) => o.option.named).map((o) => [`${o.command.name} ${o.name}:`, o] as const))(
    "GIVEN %s THEN its French twins read as it, through the command line",
    (_, { command, name }) => {
      const twins = KEY_WORDS.french(name as KeyWord);
      expect(twins, `${name}: no French twin in KEY_WORDS (src/commands/grammar/words.ts)`).not.toEqual([]);
      const english = readCommandLine(ctx, `/${command.name} ${name}:x`);
      for (const twin of twins) {
        const french = readCommandLine(ctx, `/${command.name} ${twin}:x`);
        expect(french.ok && french.raw, `${twin}: on /${command.name}`).toEqual(english.ok && english.raw);
      }
    },
  );

  it("GIVEN a French key mistyped THEN the refusal suggests the French key", () => {
    const read = readCommandLine(ctx, "/deal log 5k Acme étpae:proposition");
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reply.lines[0]).toContain("vouliez-vous dire étape:");
  });
});

describe("French words of every vocabulary", () => {
  it.each(
    options
      .filter((o) => o.option.choices && !isSettingName(o.name, o.option))
      .map((o) => [`${o.command.name} ${o.name}`, o] as const),
  )("GIVEN %s THEN each value has French words that read back to it", (_, { option }) => {
    const words = option.choices;
    for (const value of words?.values ?? []) {
      const twins = words?.french(value) ?? [];
      expect(twins, `${value}: no French word in its vocabulary (src/commands/grammar/words.ts)`).not.toEqual(
        [],
      );
      for (const twin of twins) expect(words?.read(twin), twin).toBe(value);
    }
  });
});

describe("French keywords in a French workspace, through the shell's command path", () => {
  let db: Database;
  let sales: SalesService;
  let ws: Workspace;
  let admin: Member;

  beforeAll(async () => {
    db = await openTestDatabase();
    ({ sales } = createTestSales(db));
    ws = await seedWorkspace(sales, { locale: "fr" });
    admin = await seedMember(sales, ws, "admin", "admin");
    await seedRep(sales, ws, "alice");
    await run(sales, ws, admin, "/closer team add Nord @alice");
  });
  afterAll(() => db.close());

  /** A reply without what differs between two deals logged alike: their numbers. */
  const same = (r: Reply) => JSON.stringify(r).replace(/(#|n° )\d+/g, "$1N");

  it("GIVEN a deal logged with French keys and values THEN it is the deal the English line logs", async () => {
    const en = await run(
      sales,
      ws,
      admin,
      '/deal log 5k Acme stage:proposal source:salon close:2026-12-15 title:"Devis" for:@alice',
    );
    const frReply = await run(
      sales,
      ws,
      admin,
      '/deal log 5k Acme étape:proposition source:salon clôture:2026-12-15 titre:"Devis" pour:@alice',
    );
    expect(frReply.tone).not.toBe("error");
    expect(same(frReply)).toBe(same(en));
    expect(same(await run(sales, ws, admin, "/deal show #2"))).toBe(
      same(await run(sales, ws, admin, "/deal show #1")),
    );
  });

  it.each([
    ["/deal list team:Nord stage:proposal", "/deal list équipe:Nord étape:proposition"],
    ["/deal list mine", "/deal list miennes"],
    ["/kpi month team:Nord", "/kpi mois équipe:Nord"],
    ["/kpi month lost", "/kpi mois perdues"],
    ["/kpi month summary", "/kpi mois résumé"],
    ["/leaderboard month metric:deals", "/leaderboard mois métrique:affaires"],
    ["/leaderboard quarter metric:revenue", "/leaderboard trimestre indicateur:chiffre"],
    ["/forecast quarter company", "/forecast trimestre entreprise"],
    ["/customer list dormant", "/customer list dormants"],
    ["/goal team:Nord", "/goal équipe:Nord"],
  ])("GIVEN %s THEN its French twin %s answers the same", async (english, french) => {
    const a = await run(sales, ws, admin, english);
    const b = await run(sales, ws, admin, french);
    expect(b.tone, b.lines.join("\n")).not.toBe("error");
    expect(b).toEqual(a);
  });

  it("GIVEN French words for a goal, a loss and a role THEN they act as the English ones", async () => {
    const goal = await run(sales, ws, admin, "/goal set 3 équipe:Nord mois indicateur:affaires");
    expect(goal.title).toBe(fr["goal.set"].replace("{who}", "Nord"));
    const lost = await run(sales, ws, admin, "/deal lost #1 raison:prix note:cher");
    expect(lost.title).toContain("perdue (prix)");
    const role = await run(sales, ws, admin, "/closer role @alice commercial");
    expect(role.tone).not.toBe("error");
    const again = await run(sales, ws, admin, "/goal set 4 équipe:Nord mois métrique:affaires");
    expect(again.lines.join("\n")).toContain("3");
  });

  it("GIVEN settings in French THEN they are read, and config show and status speak French", async () => {
    for (const line of [
      "/closer config set week_start dimanche",
      "/closer config set announce.weekly non",
      "/closer config set digest_days ouvrés",
      "/closer config set working_days lun-ven",
    ])
      expect((await run(sales, ws, admin, line)).tone, line).not.toBe("error");
    const show = await run(sales, ws, admin, "/closer config show");
    const value = (key: string) => show.table?.rows.find((r) => r[0] === key)?.[1];
    expect([
      value("week_start"),
      value("announce.weekly"),
      value("digest_days"),
      value("working_days"),
    ]).toEqual(["dimanche", "non", "ouvrés", "lun-ven"]);
    const status = await run(sales, ws, admin, "/closer status");
    expect(status.lines).toContain("Point du jour à 09:00 du lundi au vendredi (UTC)");
    await run(sales, ws, admin, "/closer config set digest_days lun,mer,ven");
    expect((await run(sales, ws, admin, "/closer status")).lines).toContain(
      "Point du jour à 09:00 le lundi, le mercredi et le vendredi (UTC)",
    );
    await run(sales, ws, admin, "/closer config set week_start monday");
  });
});
