/**
 * The import benchmark's input: a HubSpot deals export as `test/fixtures/import/hubspot.csv` is one
 * (its header is read from that file, so the columns are the same by construction), with `rows`
 * deals over the three years before 2026-12-01, `owners` owners and `companies` companies.
 * Deterministic: the same plan writes the same bytes. Every row is valid, so the import's exit code
 * is 0 and every deal is created.
 */
import { once } from "node:events";
import { createWriteStream, readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { nameKey } from "../../src/sales/customers/name-key.js";
import {
  CITIES,
  FIRST,
  FIRST_MORE,
  LAST,
  LOST_REASONS,
  NAMES,
  OPEN_STAGES,
  PREFIXES,
  PRODUCTS,
  SOURCES,
  WON_REASONS,
} from "./hubspot-words.js";

const FIXTURE = fileURLToPath(new URL("../../test/fixtures/import/hubspot.csv", import.meta.url));

export interface FilePlan {
  rows: number;
  owners: number;
  companies: number;
  seed: number;
}

/** A member-to-be: the file names them, the benchmark creates them in the workspace first. */
export interface Owner {
  name: string;
  email: string;
  /** The file gives this owner's email instead of their name, as HubSpot does for a user without one. */
  byEmail: boolean;
}

export interface WrittenFile {
  path: string;
  bytes: number;
  rows: number;
  owners: Owner[];
  /** Distinct companies (by folded name): the customers a first import creates. */
  customers: number;
  won: number;
  lost: number;
  open: number;
}

const DAY = 86_400_000;
/** The history ends here, not at the clock's now, so the file is the same whenever it is written. */
const END = Date.UTC(2026, 11, 1);
const START = Date.UTC(2023, 11, 1);

/** mulberry32: a small seeded generator, so runs and backends import the same file. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ascii = (s: string) => s.normalize("NFKD").replace(/\p{M}/gu, "");

/** `owners` distinct people; one in ten appears by email only. */
export function planOwners(count: number): Owner[] {
  const firsts = [...FIRST, ...FIRST_MORE];
  if (count > firsts.length * LAST.length)
    throw new RangeError(`at most ${firsts.length * LAST.length} owners`);
  return Array.from({ length: count }, (_, i) => {
    const first = firsts[i % firsts.length] ?? "";
    const last = LAST[Math.floor(i / firsts.length) % LAST.length] ?? "";
    const email = ascii(`${first}.${last}@example.com`).toLowerCase();
    return { name: `${first} ${last}`, email, byEmail: i % 10 === 9 };
  });
}

function companyNames(count: number): string[] {
  const capacity = PREFIXES.length * NAMES.length * CITIES.length;
  if (count > capacity) throw new RangeError(`at most ${capacity} companies`);
  const names = Array.from({ length: count }, (_, i) => {
    const prefix = PREFIXES[i % PREFIXES.length];
    const name = NAMES[Math.floor(i / PREFIXES.length) % NAMES.length];
    const city = CITIES[Math.floor(i / (PREFIXES.length * NAMES.length)) % CITIES.length];
    return `${prefix} ${name} ${city}`;
  });
  if (new Set(names.map(nameKey)).size !== count) throw new Error("company names that fold together");
  return names;
}

/** `2025-04-01 10:15`, as HubSpot writes dates (UTC here). */
function hubspotDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

function pick<T>(items: readonly T[], u: number): T {
  const item = items[Math.floor(u * items.length)];
  if (item === undefined) throw new RangeError("empty list");
  return item;
}

/** Reads the fixture's header: the columns of a real export, those the import reads and those it does not. */
function fixtureHeader(): string[] {
  const [header] = parse(readFileSync(FIXTURE), { bom: true, to_line: 1 }) as string[][];
  if (!header) throw new Error(`${FIXTURE} has no header`);
  return header;
}

/** Writes the file at `path` and says what a first import of it must create. */
export async function writeHubspotFile(path: string, plan: FilePlan): Promise<WrittenFile> {
  const header = fixtureHeader();
  const column = new Map(header.map((name, i) => [name, i]));
  const owners = planOwners(plan.owners);
  const companies = companyNames(plan.companies);
  const next = random(plan.seed);
  const counts = { won: 0, lost: 0, open: 0 };

  function row(i: number): string[] {
    const cells = new Array<string>(header.length).fill("");
    const set = (name: string, value: string) => {
      const at = column.get(name);
      if (at === undefined) throw new Error(`hubspot.csv has no column "${name}"`);
      cells[at] = value;
    };
    // The first `companies` deals name each company once; the rest favour the first (key accounts).
    const index = i < companies.length ? i : Math.floor(next() ** 2 * companies.length);
    const company = companies[index] ?? "";
    const owner = pick(owners, next() ** 1.3);
    const outcome = next();
    const kind = outcome < 0.4 ? "won" : outcome < 0.65 ? "lost" : "open";
    counts[kind]++;
    // Open deals are recent; closed ones were created over the three years, and closed 3-153 days later.
    const created =
      kind === "open" ? END - (1 + next() * 364) * DAY : START + next() * (END - START - 160 * DAY);
    const closes =
      kind === "open"
        ? created + (14 + next() * 166) * DAY
        : Math.min(END - DAY, created + (3 + next() ** 2 * 150) * DAY);
    const cents = Math.round(Math.exp(Math.log(500) + next() * Math.log(300)) * 100);
    const amount = (next() < 0.8 ? Math.round(cents / 100) : cents / 100).toFixed(next() < 0.8 ? 0 : 2);
    const [stage, probability, forecast] =
      kind === "won"
        ? (["Closed Won", 1, "Closed won"] as const)
        : kind === "lost"
          ? (["Closed Lost", 0, "Not forecasted"] as const)
          : pick(OPEN_STAGES, next());
    const product = pick(PRODUCTS, next());
    set("Record ID", String(21_600_000_000 + i * 7));
    set("Deal Name", `${company.split(" ").slice(0, 2).join(" ")} – ${product}`);
    set("Deal Stage", stage);
    set("Close Date", hubspotDate(closes));
    set("Deal owner", owner.byEmail ? owner.email : owner.name);
    set("Amount", amount);
    set("Currency", "EUR");
    set("Create Date", hubspotDate(created));
    set("Associated Company", company);
    set("Associated Company IDs", String(9_871_000_000 + index * 13));
    if (next() < 0.7) set("Associated Contact", `${pick(FIRST_MORE, next())} ${pick(NAMES, next())}`);
    if (kind === "lost") set("Closed Lost Reason", pick(LOST_REASONS, next()));
    if (kind === "won" && next() < 0.5) set("Closed Won Reason", pick(WON_REASONS, next()));
    const source = pick(Object.keys(SOURCES), next());
    set("Original Source", source);
    set("Original Source Drill-Down 1", pick(SOURCES[source] ?? [""], next()));
    set("Pipeline", "Sales Pipeline");
    const existing = next() < 0.3;
    set("Deal Type", existing ? "Existing Business" : "New Business");
    if (existing) set("Annual recurring revenue", amount);
    set("Priority", pick(["Low", "Medium", "High"], next()));
    set("Deal probability", String(probability));
    set("Forecast category", forecast);
    set("Amount in company currency", amount);
    set("Weighted amount", (Number(amount) * probability).toFixed(2));
    set("Last Activity Date", hubspotDate(Math.min(END - DAY, closes)));
    if (kind === "open" && next() < 0.6) set("Next Activity Date", hubspotDate(END + next() * 21 * DAY));
    set("Last Modified Date", hubspotDate(Math.min(END - DAY, closes + DAY)));
    set("Number of Sales Activities", String(1 + Math.floor(next() * 20)));
    if (kind !== "open") set("Days to close", String(Math.round((closes - created) / DAY)));
    set("Is Closed Won", String(kind === "won"));
    // A quarter of the deals carry a description, as real exports do: commas, quotes, a line break.
    if (next() < 0.25)
      set(
        "Deal Description",
        next() < 0.1
          ? `Call notes: budget confirmed, ${product} first.\nFollow up with "${owner.name}" next week.`
          : `${product} for ${company}, ${1 + Math.floor(next() * 40)} seats`,
      );
    return cells;
  }

  const out = createWriteStream(path);
  out.write(`\ufeff${stringify([header])}`);
  const CHUNK = 1000;
  for (let from = 0; from < plan.rows; from += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, plan.rows - from) }, (_, k) => row(from + k));
    if (!out.write(stringify(rows))) await once(out, "drain");
  }
  out.end();
  await finished(out);
  return {
    path,
    bytes: (await stat(path)).size,
    rows: plan.rows,
    owners,
    customers: Math.min(plan.rows, plan.companies),
    ...counts,
  };
}
