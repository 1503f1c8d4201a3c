import { type BotMethod, fail, flag, missingScope, type Result, str } from "./api-result.js";
import type { SlackUser } from "./types.js";

function tzFields(tz: string, at: number): Result {
  const offsetName =
    new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(offsetName);
  const offset = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60) : 0;
  const label =
    new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "long" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value ?? tz;
  return { tz, tz_label: label, tz_offset: offset };
}

/**
 * users.info: the user's names, time zone and admin flags; the locale only when asked for, and the
 * email only when the app was granted `users:read.email`, as Slack answers.
 */
export function usersInfo(users: Map<string, SlackUser>, now: () => number): BotMethod {
  return (params, ws) => {
    const user = users.get(str(params, "user") ?? "");
    if (!user) return fail("user_not_found");
    const realName = user.realName ?? user.name;
    return {
      user: {
        id: user.id,
        team_id: user.teamId,
        name: user.name,
        deleted: false,
        real_name: realName,
        ...(user.tz !== undefined ? tzFields(user.tz, now()) : {}),
        ...(user.locale !== undefined && flag(params, "include_locale") ? { locale: user.locale } : {}),
        is_admin: user.isAdmin ?? false,
        is_owner: user.isOwner ?? false,
        is_primary_owner: false,
        is_restricted: false,
        is_ultra_restricted: false,
        is_bot: false,
        is_app_user: false,
        profile: {
          real_name: realName,
          real_name_normalized: realName,
          display_name: user.name,
          display_name_normalized: user.name,
          team: user.teamId,
          ...(user.email !== undefined && !missingScope(ws, "users:read.email") ? { email: user.email } : {}),
        },
      },
    };
  };
}
