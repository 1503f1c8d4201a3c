import type { AchievementView, Streak } from "../sales/achievements/achievement-service.js";
import type { GoalPeriodKind } from "../sales/deps.js";
import { type Calendar, startOfLocalDate } from "../sales/periods/period.js";
import { goalPeriodName } from "./lines.js";
import type { Speaker } from "./speaker.js";

type Named = Speaker & { cal: Pick<Calendar, "fiscalYearStart"> };

/**
 * What an achievement is, in a phrase: `Personal best: Acme, €12,000`, `Hat-trick: 3 wins on
 * 18 Nov 2026`. The wins-channel post and `/closer me` both say it this way.
 */
export function achievementText(s: Named, a: AchievementView): string {
  const deal = a.deal;
  const amount = s.fmt.money(a.value ?? deal?.amount ?? 0n);
  switch (a.kind) {
    case "first_win":
    case "personal_best":
      return s.t(`achievement.${a.kind}`, { customer: deal?.customer ?? "–", amount });
    case "best_month":
      // The month's middle, at noon UTC, is in that month in every zone.
      return s.t("achievement.best_month", {
        month: s.fmt.month(new Date(`${a.occurrence}-15T12:00:00Z`)),
        amount,
      });
    case "hat_trick":
      return s.t("achievement.hat_trick", { count: Number(a.value ?? 3n), day: s.fmt.day(a.occurrence) });
    case "streak":
      return s.t("achievement.streak", { count: Number(a.value ?? 0n) });
    case "team_goal": {
      // `<metric>:<period kind>:<first day>`, as the occurrence records the goal.
      const [metric = "revenue", kind = "month", first = "1970-01-01"] = a.occurrence.split(":");
      const goal = { periodKind: kind as GoalPeriodKind, periodStart: new Date(`${first}T00:00:00Z`) };
      return s.t("achievement.team_goal", {
        team: a.team?.name ?? "–",
        goal: s.t(metric === "deals" ? "milestone.goal.deals" : "milestone.goal.revenue"),
        period: goalPeriodName(s, goal, startOfLocalDate(first, s.fmt.timezone)),
      });
    }
  }
}

/** Whose an achievement is: the member's or the team's name. */
export function achieverName(a: AchievementView): string {
  return a.member?.displayName ?? a.team?.name ?? "–";
}

/** A member's current streak as `/closer me` and `/goal` say it: its length, and whether today still needs a change. */
export function streakLines(s: Speaker, streak: Streak): string[] {
  if (streak.days === 0) return [s.t("achievement.streak.none")];
  const going = s.t("achievement.streak.going", { count: streak.days });
  return streak.today ? [going] : [going, s.t("achievement.streak.keep")];
}
