import { renderDigest } from "../../src/announcements/digest.js";
import { createFixedClock } from "../../src/clock.js";
import type { Prisma, PrismaClient } from "../../src/generated/prisma/client.js";
import { speakerFor } from "../../src/messages/speaker.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import { createDigestService } from "../../src/sales/digest/digest-service.js";
import { BENCH_NOW, type BenchSession } from "./dataset.js";

/** One SQL statement of a raw baseline, named after what issues it. */
export interface LabelledSql {
  label: string;
  sql: Prisma.Sql;
}

/** The function that called the wrapper (`skip`): the top frame of a stack captured at the call. */
function callerOf(skip: (...args: never[]) => unknown): string | undefined {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, skip);
  const frame = holder.stack?.split("\n")[1] ?? "";
  const name = /^\s*at (?:async )?([\w$.<>]+) \(/.exec(frame)?.[1];
  return name?.replace(/^Object\./, "");
}

/**
 * A Prisma client for one computeDigest call that records each statement it sends (`$queryRaw`).
 * Anything else fails the run, so the baseline cannot silently miss a query the digest makes.
 */
function recordingClient(prisma: PrismaClient, sink: LabelledSql[]): PrismaClient {
  const queryRaw = (sql: Prisma.Sql) => {
    // A part read together names itself in a leading comment (src/sales/read-together.ts).
    const part = /^\/\* ([\w-]+) \*\//.exec(sql.text.trimStart())?.[1];
    const caller = part ?? callerOf(queryRaw) ?? `statement ${sink.length + 1}`;
    sink.push({ label: caller, sql });
    return prisma.$queryRaw(sql);
  };
  return new Proxy(prisma, {
    get(_target, prop) {
      if (prop === "$queryRaw") return queryRaw;
      throw new Error(`the digest used prisma.${String(prop)}, which bench/kpi/digest.ts does not replay`);
    },
  });
}

/** Repeated labels get a counter, should the digest send a statement twice. */
function numbered(statements: LabelledSql[]): LabelledSql[] {
  const total = new Map<string, number>();
  for (const s of statements) total.set(s.label, (total.get(s.label) ?? 0) + 1);
  const seen = new Map<string, number>();
  return statements.map((s) => {
    if ((total.get(s.label) ?? 0) < 2) return s;
    const n = (seen.get(s.label) ?? 0) + 1;
    seen.set(s.label, n);
    return { ...s, label: `${s.label} #${n}` };
  });
}

export interface DigestCase {
  /** computeDigest(ws, null) + renderDigest, as the digest channel gets it; returns the text. */
  run(): Promise<string>;
  /** Every statement that one computeDigest sends, in the order it sends them. */
  statements: LabelledSql[];
}

/**
 * The company digest (everyone, no team) and the statements it runs, recorded from one real
 * computeDigest on the session's fixed clock. The bench workspace has no teams and no managers, so
 * `digestsOf` would send this one digest (to the admin, with no digest channel set).
 */
export async function digestCase(
  prisma: PrismaClient,
  { sales, workspace: ws }: BenchSession,
): Promise<DigestCase> {
  const speaker = speakerFor(ws);
  const sink: LabelledSql[] = [];
  const recorder = createDigestService({
    db: recordingClient(prisma, sink),
    clock: createFixedClock(BENCH_NOW),
  });
  await recorder.computeDigest(ws, null);
  return {
    async run() {
      return renderText(renderDigest(speaker, await sales.digest.computeDigest(ws, null)));
    },
    statements: numbered(sink),
  };
}
