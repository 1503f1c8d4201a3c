import type { webApi } from "@slack/bolt";
import type { Clock } from "../../clock.js";
import type { CommandContext } from "../../commands/command.js";
import { commandContext } from "../../commands/context.js";
import { type MemberRef, TYPED_LESS_THAN } from "../../commands/grammar/tokens.js";
import { AppError } from "../../errors.js";
import type { Locale } from "../../messages/i18n.js";
import type { Workspace } from "../../sales/deps.js";
import type { MemberIdentity } from "../../sales/members/member-service.js";
import type { SalesService } from "../../sales/sales-service.js";

type WebClient = webApi.WebClient;

interface SlackUserInfo {
  name: string;
  tz: string | undefined;
  locale: string | undefined;
  admin: boolean;
  /** Given only with the `users:read.email` scope. */
  email: string | undefined;
}

const USER_TTL_MS = 10 * 60_000;

/**
 * Turns Slack identities into Closer's: a team is a workspace (created on first use with the
 * first user's time zone and, when French, locale); a user is a member named from `users.info`,
 * cached for ten minutes, with the email it gives; Slack workspace admins and owners are Closer admins.
 */
export function createSlackIdentities(sales: SalesService, clock: Clock) {
  const users = new Map<string, { info: SlackUserInfo; expires: number }>();

  async function userInfo(client: WebClient, teamId: string, userId: string): Promise<SlackUserInfo> {
    const key = `${teamId}:${userId}`;
    const cached = users.get(key);
    const now = clock.now().getTime();
    if (cached && cached.expires > now) return cached.info;
    let user: Awaited<ReturnType<WebClient["users"]["info"]>>["user"];
    try {
      user = (await client.users.info({ user: userId, include_locale: true })).user;
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code === "user_not_found")
        throw new AppError("not_found", "error.member_not_found", { name: userId });
      throw error;
    }
    const info: SlackUserInfo = {
      name: user?.profile?.display_name || user?.real_name || user?.name || userId,
      tz: user?.tz,
      locale: user?.locale,
      admin: Boolean(user?.is_admin || user?.is_owner),
      email: user?.profile?.email || undefined,
    };
    if (users.size > 10_000) users.clear();
    users.set(key, { info, expires: now + USER_TTL_MS });
    return info;
  }

  /** A mentioned Slack user as a member: named from `users.info`; workspace admins are admins. */
  async function identityOf(client: WebClient, ws: Workspace, userId: string): Promise<MemberIdentity> {
    const info = await userInfo(client, ws.externalId, userId);
    return memberIdentity(userId, info);
  }

  return {
    /** The language a Slack user reads, from their profile: for a refusal when the workspace cannot be read. */
    async localeOf(client: WebClient, teamId: string, userId: string): Promise<Locale | undefined> {
      return localeOfSlack((await userInfo(client, teamId, userId)).locale);
    },

    /** The workspace and member behind a Slack request, and the context its command runs in. */
    async contextFor(
      client: WebClient,
      teamId: string,
      userId: string,
      requestId?: string,
    ): Promise<CommandContext> {
      const info = await userInfo(client, teamId, userId);
      const { workspace, member: actor } = await sales.identify(
        {
          platform: "slack",
          externalId: teamId,
          name: teamId,
          timezone: info.tz,
          locale: localeOfSlack(info.locale),
        },
        memberIdentity(userId, info),
      );
      const identity = (ref: MemberRef) => identityOf(client, workspace, ref.platformUserId);
      return commandContext(sales, workspace, actor, identity, requestId);
    },
  };
}

export type SlackIdentities = ReturnType<typeof createSlackIdentities>;

/** A Slack user as the service knows members: their email lets them take over an imported member. */
function memberIdentity(userId: string, info: SlackUserInfo): MemberIdentity {
  return { platformUserId: userId, displayName: info.name, platformAdmin: info.admin, email: info.email };
}

/** French for a Slack locale in French (`fr-FR`, `fr-CA`); otherwise the default. */
function localeOfSlack(locale: string | undefined): Locale | undefined {
  return locale?.toLowerCase().startsWith("fr") ? "fr" : undefined;
}

/**
 * Slack escapes `&`, `<` and `>` in command text; the grammar reads them plain. A typed `<` comes
 * back as the grammar's TYPED_LESS_THAN: only Slack writes the `<` of a real mention (`<@U123>`).
 */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, TYPED_LESS_THAN).replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
