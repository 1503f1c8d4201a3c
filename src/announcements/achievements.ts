import { achievementText, achieverName } from "../messages/achievement-lines.js";
import { speakerFor } from "../messages/speaker.js";
import { channelOf, enqueue, type Notification } from "../notify/outbox.js";
import type { AchievementView } from "../sales/achievements/achievement-service.js";
import type { OnAchievements } from "../sales/deals/deal-service.js";
import type { Workspace } from "../sales/deps.js";
import { calendarOf } from "../sales/workspaces/workspace-service.js";

/**
 * The wins-channel post of the achievements one change earned: one message, a line each. Its key
 * is the natural key of the first of them (`achievement:<workspace>:<subject>:<kind>:<occurrence>`),
 * each recorded once ever, so the post is written once. Nothing when
 * `announce.achievements` is off or there is no wins channel.
 */
export function achievementPostOf(ws: Workspace, earned: AchievementView[]): Notification[] {
  const first = earned[0];
  if (!first || !ws.announceAchievements || !ws.winsChannel) return [];
  const s = { ...speakerFor(ws), cal: calendarOf(ws) };
  return [
    {
      key: `achievement:${ws.id}:${first.subject}:${first.kind}:${first.occurrence}`,
      kind: "achievement",
      destination: channelOf(ws.winsChannel),
      reply: {
        visibility: "public",
        locale: s.locale,
        title: s.t("achievement.announce.title", { count: earned.length }),
        lines: earned.map((a) =>
          s.t("achievement.announce.line", { who: achieverName(a), what: achievementText(s, a) }),
        ),
      },
    },
  ];
}

/** Announces achievements in the transaction of the change that earned them. */
export const announceAchievements: OnAchievements = async (tx, ws, earned, at) => {
  await enqueue(tx, ws, achievementPostOf(ws, earned), at);
};
