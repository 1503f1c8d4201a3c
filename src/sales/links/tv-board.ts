import type { Clock } from "../../clock.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import { createContestService, type ScreenContests } from "../contests/contest-service.js";
import { withParties } from "../deals/deal-reads.js";
import type { DealView } from "../deals/deal-service.js";
import type { Team, Workspace } from "../deps.js";
import { createGoalService, type GoalProgress } from "../goals/goal-service.js";
import { createLeaderboardService, type Leaderboard } from "../leaderboard/leaderboard-service.js";
import { type Period, periodContaining } from "../periods/period.js";
import { calendarOf } from "../workspaces/workspace-service.js";

/** The periods a TV screen shows in turn. */
export const TV_PERIODS = ["month", "quarter"] as const;
export type TvPeriodKind = (typeof TV_PERIODS)[number];

/**
 * How many reps a screen ranks, goals it draws and wins it lists, and places a contest's panel
 * shows (beside its prize and countdown): what reads across a room.
 */
export const TV_LIMITS = { reps: 8, goals: 6, wins: 6, contestPlaces: 6 } as const;

/** Whose goal a bar is: a team's, or the company's (null). */
export interface TvGoal {
  team: Team | null;
  progress: GoalProgress;
}

/**
 * What a TV screen shows at an instant: each period's leaderboard, the current goals, the latest
 * wins, and the contests running or ended within a day.
 */
export interface TvBoard {
  at: Date;
  boards: { period: Period<TvPeriodKind>; leaderboard: Leaderboard }[];
  goals: TvGoal[];
  wins: DealView[];
  contests: ScreenContests;
}

/**
 * Reads a workspace's TV board: the leaderboards of the current month and quarter by won revenue,
 * the company's then each team's goals of the current periods, the latest wins (closed by `at`),
 * and the contests running or whose result is still shown, all of that workspace only.
 */
export async function readTvBoard(
  db: PrismaClient,
  clock: Clock,
  ws: Workspace,
  at = clock.now(),
): Promise<TvBoard> {
  const deps = { db, clock };
  const leaderboard = createLeaderboardService(deps);
  const goals = createGoalService(deps);
  const cal = calendarOf(ws);
  const contests = createContestService(deps);
  const [boards, company, teams, wins, screenContests] = await Promise.all([
    Promise.all(
      TV_PERIODS.map(async (kind) => {
        const period = periodContaining(kind, at, cal);
        return { period, leaderboard: await leaderboard.leaderboard(ws, period, "revenue", TV_LIMITS.reps) };
      }),
    ),
    goals.progress(ws, { scope: "company" }),
    db.team.findMany({ where: { workspaceId: ws.id }, orderBy: { name: "asc" } }),
    db.deal.findMany({
      where: { workspaceId: ws.id, stage: "won", deletedAt: null, closedAt: { lte: at } },
      orderBy: [{ closedAt: "desc" }, { id: "desc" }],
      take: TV_LIMITS.wins,
      include: withParties,
    }),
    contests.screenContests(ws, at),
  ]);
  const teamGoals = await Promise.all(
    teams.map(async (team) =>
      (await goals.progress(ws, { scope: "team", team })).map((progress) => ({ team, progress })),
    ),
  );
  const all = [...company.map((progress) => ({ team: null, progress })), ...teamGoals.flat()];
  return {
    at,
    boards,
    goals: all.filter((g) => g.progress.phase === "running").slice(0, TV_LIMITS.goals),
    wins,
    contests: screenContests,
  };
}
