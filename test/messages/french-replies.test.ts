import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDigest } from "../../src/announcements/digest.js";
import { KEY_SPELLINGS } from "../../src/commands/grammar/words.js";
import { OPTION_KEYS } from "../../src/commands/registry.js";
import type { Database } from "../../src/db/client.js";
import type { Reply } from "../../src/messages/reply.js";
import { speakerFor } from "../../src/messages/speaker.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, run, seedMember, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";
import { frenchTypographyFaults } from "./french-typography.js";

/*
 * Real French replies, as a French team gets them, hold French typography: what the catalog test
 * checks of each message, checked here of the text code puts together around them.
 */

let db: Database;
let sales: SalesService;
let ws: Workspace;
let admin: Member;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales } = createTestSales(db, "2026-11-18T10:00:00Z"));
  ws = await seedWorkspace(sales, { locale: "fr", timezone: "Europe/Paris" });
  admin = await seedMember(sales, ws, "admin", "admin");
  await seedRep(sales, ws, "alice");
});
afterAll(() => db.close());

const keys = new Set([...KEY_SPELLINGS, ...OPTION_KEYS]);

/** Every piece of text of a reply: what a platform lays out, each checked on its own. */
function texts(reply: Reply): string[] {
  return [
    reply.title ?? "",
    ...reply.lines,
    ...(reply.fields ?? []).flatMap((f) => [f.label, f.value]),
    ...(reply.table ? [...reply.table.columns, ...reply.table.rows.flat()] : []),
    ...(reply.actions ?? []).map((a) => a.label),
  ].filter((s) => s !== "");
}

const LINES = [
  "/deal log 12 000 Boulangerie Dupont étape:proposition",
  "/deal log 3k Acme",
  '/deal won #1 note:"la démo"',
  "/deal lost #2 raison:prix",
  "/deal show #1",
  "/deal list all",
  "/deal stage #9 piste",
  "/deal log 12 000.50 B1",
  "/kpi mois",
  "/kpi mois perdues",
  "/kpi mois sources",
  "/leaderboard mois",
  "/forecast mois",
  "/goal set 50k entreprise mois",
  "/goal entreprise",
  "/customer Acme",
  "/customer list",
  "/remind #1 demain rappeler",
  "/remind list",
  "/closer help",
  "/closer config show",
  "/closer status",
  "/closer team add Nord @alice",
  "/closer team list",
  "/deal log 5k Acme étpae:proposition",
  "/kpi décennie",
  "/kudos @alice merci pour la démo",
  "/kudos @admin bravo moi",
  "/wins démo mois",
  "/wins introuvable",
];

describe("French replies", () => {
  it.each(LINES)("GIVEN %s THEN its reply holds French typography", async (line) => {
    const reply = await run(sales, ws, admin, line);
    const faults = texts(reply).flatMap((t) => frenchTypographyFaults(t, keys).map((f) => `${f} in ${t}`));
    expect(faults).toEqual([]);
  });

  it("GIVEN the day's digest THEN it holds French typography too", async () => {
    const digest = renderDigest(speakerFor(ws), await sales.digest.computeDigest(ws, null));
    expect(texts(digest).flatMap((t) => frenchTypographyFaults(t, keys))).toEqual([]);
  });
});
