import { Prisma } from "../../generated/prisma/client.js";
import { containing, folded, foldText } from "../deals/deal-reads.js";
import { wonIn } from "../deals/deal-sql.js";
import type { Db, SalesDeps, Workspace } from "../deps.js";
import type { CutList } from "../lists.js";
import type { Period } from "../periods/period.js";

/** A won deal's win note ("how we won it"), with what a reader needs to weigh it. */
export interface WinNote {
  number: number;
  customer: string;
  owner: string;
  amount: bigint;
  closedAt: Date;
  note: string;
}

/** What `/wins` narrows the notes to; each part optional. */
export interface WinNoteFilter {
  /** Found in the note, the customer's name or the deal's title, case and accents ignored. */
  text?: string | undefined;
  /** Won in this period. */
  period?: Pick<Period, "start" | "end"> | undefined;
  /** The deal's lead source, case and accents ignored. */
  source?: string | undefined;
}

/** How many notes `/wins` lists before "…and N more". */
export const WIN_NOTES_SHOWN = 10;

/** A won deal of the workspace (not deleted) that has a win note other than blanks. */
function hasWinNote(ws: Pick<Workspace, "id">): Prisma.Sql {
  return Prisma.sql`d.workspace_id = ${ws.id} AND d.stage = 'won' AND d.deleted_at IS NULL
    AND d.win_note IS NOT NULL AND btrim(d.win_note) <> ''`;
}

type WinNoteRow = {
  number: number;
  customer: string;
  owner: string;
  amount: bigint;
  closed_at: Date;
  note: string;
  total: number;
};

const asWinNote = (r: WinNoteRow): WinNote => ({
  number: r.number,
  customer: r.customer,
  owner: r.owner,
  amount: r.amount,
  closedAt: r.closed_at,
  note: r.note,
});

const SELECT = Prisma.sql`SELECT d.number, c.name AS customer, m.display_name AS owner, d.amount,
    d.closed_at, d.win_note AS note, (count(*) OVER ())::int AS total
  FROM deal d JOIN customer c ON c.id = d.customer_id JOIN member m ON m.id = d.owner_id`;

/**
 * The best win note of a period, as the monthly awards quote it: the note of the period's largest
 * won deal that has one, the earlier won first when two are as large.
 */
export async function bestWinNote(db: Db, ws: Workspace, period: Pick<Period, "start" | "end">) {
  const [row] = await db.$queryRaw<WinNoteRow[]>(Prisma.sql`${SELECT}
    WHERE ${wonIn(ws, period, "d")} AND ${hasWinNote(ws)}
    ORDER BY d.amount DESC, d.closed_at ASC, d.number ASC LIMIT 1`);
  return row ? asWinNote(row) : null;
}

/** Win notes: the team's record of how its deals were won, searchable by everyone in the workspace. */
export function createWinNoteService({ db }: SalesDeps) {
  return {
    /**
     * The workspace's win notes that `filter` takes, newest win first (the higher number first on
     * the same instant), cut at `limit` with the exact count of all.
     */
    async findWinNotes(
      ws: Workspace,
      filter: WinNoteFilter,
      limit = WIN_NOTES_SHOWN,
    ): Promise<CutList<WinNote>> {
      const where = [hasWinNote(ws)];
      if (filter.period) where.push(wonIn(ws, filter.period, "d"));
      const text = filter.text?.trim();
      if (text) {
        const pattern = containing(text);
        where.push(Prisma.sql`(${folded(Prisma.sql`d.win_note`)} LIKE ${pattern}
          OR ${folded(Prisma.sql`c.name`)} LIKE ${pattern}
          OR ${folded(Prisma.sql`coalesce(d.title, '')`)} LIKE ${pattern})`);
      }
      const source = filter.source?.trim();
      if (source) where.push(Prisma.sql`${folded(Prisma.sql`d.lead_source`)} = ${foldText(source)}`);
      const rows = await db.$queryRaw<WinNoteRow[]>(Prisma.sql`${SELECT}
        WHERE ${Prisma.join(where, " AND ")}
        ORDER BY d.closed_at DESC, d.number DESC
        LIMIT ${limit}`);
      return { items: rows.map(asWinNote), total: rows[0]?.total ?? 0 };
    },
  };
}

export type WinNoteService = ReturnType<typeof createWinNoteService>;
