import { Prisma } from "../../generated/prisma/client.js";
import type { Contest, Db, SalesDeps, Workspace } from "../deps.js";
import { localDate } from "../periods/period.js";
import {
  addDays,
  type ContestInfo,
  type ContestStandings,
  contestInfo,
  dateColumn,
  readStandings,
} from "./contest-reads.js";

/** The announcements of a contest, each made once: its start, its last day, its result, or its cancellation. */
export type ContestAnnouncement = "start" | "last_day" | "result" | "cancelled";

const ANNOUNCED_COLUMN: Record<ContestAnnouncement, Prisma.Sql> = {
  start: Prisma.raw("start_announced_at"),
  last_day: Prisma.raw("last_day_announced_at"),
  // A contest ends once: with its result, or with its cancellation.
  result: Prisma.raw("result_announced_at"),
  cancelled: Prisma.raw("result_announced_at"),
};

/** Which contest announcements are due, and the claims that make each happen once. */
export function createContestAnnouncements({ db, clock }: SalesDeps) {
  return {
    /**
     * The announcements due at the clock's now and not yet made, each with the contest's standings.
     * `slotOf(day)` is the instant of the workspace's daily slot on a local day: a start is due at the
     * slot of its first day while it runs, the last day at the slot of its last day (for a contest of
     * more than one day), the result at the slot of the day after it ends and at any time after that
     * (a Closer down then catches up), a cancellation at once when the start had been announced.
     */
    async dueAnnouncements(
      ws: Workspace,
      slotOf: (day: string) => Date,
    ): Promise<{ kind: ContestAnnouncement; standings: ContestStandings }[]> {
      const now = clock.now();
      const today = localDate(now, ws.timezone);
      const rows = await db.contest.findMany({
        where: {
          workspaceId: ws.id,
          resultAnnouncedAt: null,
          fromDate: { lte: dateColumn(today) },
          OR: [{ cancelledAt: null }, { startAnnouncedAt: { not: null } }],
        },
        include: { team: true },
        orderBy: { id: "asc" },
      });
      const due: { kind: ContestAnnouncement; info: ContestInfo }[] = [];
      for (const row of rows) {
        const info = contestInfo(ws, row, now);
        const c = info.contest;
        if (info.phase === "cancelled") {
          due.push({ kind: "cancelled", info });
          continue;
        }
        if (info.phase === "ended") {
          if (now >= slotOf(addDays(info.last, 1))) due.push({ kind: "result", info });
          continue;
        }
        if (!c.startAnnouncedAt && now >= slotOf(info.first)) due.push({ kind: "start", info });
        if (
          !c.lastDayAnnouncedAt &&
          info.first < info.last &&
          today === info.last &&
          now >= slotOf(info.last)
        )
          due.push({ kind: "last_day", info });
      }
      return Promise.all(
        due.map(async ({ kind, info }) => ({
          kind,
          standings: { ...info, rows: kind === "start" ? [] : await readStandings(db, ws, info.contest) },
        })),
      );
    },

    /**
     * Claims one announcement of a contest through `tx`, the transaction that queues it: true for the
     * one caller that sets its column, false for any other (a replica, a retried run).
     */
    async claimAnnouncement(tx: Db, contest: Contest, kind: ContestAnnouncement): Promise<boolean> {
      const column = ANNOUNCED_COLUMN[kind];
      const claimed = await tx.$executeRaw(Prisma.sql`
        UPDATE contest SET ${column} = ${clock.now()} WHERE id = ${contest.id} AND ${column} IS NULL`);
      return claimed === 1;
    },
  };
}
