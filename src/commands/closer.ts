import { achievementText, streakLines } from "../messages/achievement-lines.js";
import { type Locale, type Translate, translator } from "../messages/i18n.js";
import { moreLines } from "../messages/lines.js";
import { scheduleDays, settingValue } from "../messages/settings.js";
import { CONFIG_KEYS, type ConfigKey, configValue } from "../sales/workspaces/workspace-service.js";
import { defineCommand } from "./command.js";
import { leftover, type Token, tokenText, twoValues } from "./grammar/tokens.js";
import { ROLE_WORDS, vocabulary } from "./grammar/words.js";
import { choiceOption, memberOption, membersOption, textOption } from "./options.js";
import { pluralForm } from "./plural.js";

/**
 * A setting's value as shown. Unset, contests go to the wins channel and quiet hours are off, which
 * it says rather than "not set".
 */
function shownSetting(t: Translate, key: ConfigKey, value: string | undefined, locale: Locale): string {
  if (value !== undefined) return settingValue(key, value, locale);
  if (key === "contest_channel") return t("config.contest_channel_default");
  return t(key === "quiet_hours" ? "config.quiet_hours_off" : "status.unset");
}

export const configShow = defineCommand({
  name: "closer config show",
  description: "command.config_show",
  visibility: "ephemeral",
  options: {},
  async run(ctx) {
    return {
      title: ctx.t("config.title"),
      lines: [],
      table: {
        columns: [ctx.t("field.key"), ctx.t("field.value")],
        rows: CONFIG_KEYS.map((k) => {
          return [k, shownSetting(ctx.t, k, configValue(ctx.workspace, k), ctx.locale)];
        }),
      },
    };
  },
});

export const configSet = defineCommand({
  name: "closer config set",
  description: "command.config_set",
  visibility: "ephemeral",
  options: {
    // Discord offers the keys as choices; the service says which value each takes.
    key: {
      ...textOption(40, {
        required: true,
        description: "option.config_key",
        placeholder: "usage.key",
        missing: "input.config_key_required",
      }),
      choices: vocabulary(CONFIG_KEYS),
    },
    value: textOption(80, {
      required: true,
      description: "option.config_value",
      placeholder: "usage.value",
      missing: "input.config_value_required",
    }),
  },
  fromText(tokens) {
    const words = tokens.map(tokenText);
    return { key: words[0], value: words.slice(1).join(" ") || undefined };
  },
  async run(ctx, input) {
    const ws = await ctx.sales.workspaces.setConfig(ctx.workspace, ctx.actor, input.key, input.value);
    const key = input.key as (typeof CONFIG_KEYS)[number];
    const locale = ws.locale === "fr" ? "fr" : "en";
    // The confirmation speaks the new language when the locale itself changed.
    const t = locale === ctx.locale ? ctx.t : translator(locale);
    const value = configValue(ws, key);
    return {
      title: t("config.set", {
        key,
        value: shownSetting(t, key, value, locale),
      }),
      lines: [],
    };
  },
});

export const role = defineCommand({
  name: "closer role",
  description: "command.role",
  visibility: "public",
  options: {
    member: memberOption({ required: true, description: "option.member", placeholder: "usage.person" }),
    role: choiceOption(ROLE_WORDS, "input.role", { required: true, description: "option.role" }),
  },
  fromText(tokens) {
    const mention = tokens.find((t) => t.kind === "mention");
    const word = tokens.find((t) => t.kind === "word");
    return {
      member: mention?.kind === "mention" ? mention.ref : undefined,
      role: word ? tokenText(word) : undefined,
    };
  },
  async run(ctx, input) {
    const target = await ctx.resolveMember(input.member);
    const updated = await ctx.sales.members.setRole(ctx.workspace, ctx.actor, target, input.role);
    return {
      title: ctx.t("role.set", { name: updated.displayName, role: ctx.t(`role.${updated.role}`) }),
      lines: [],
    };
  },
});

/** `@member`, and nothing else: the text form of the member commands. */
function oneMention(tokens: Token[]) {
  const mention = tokens.find((t) => t.kind === "mention");
  return {
    member: mention?.kind === "mention" ? mention.ref : undefined,
    extra: leftover(tokens.filter((t) => t !== mention)),
  };
}

export const memberRemove = defineCommand({
  name: "closer member remove",
  description: "command.member_remove",
  visibility: "ephemeral",
  options: {
    member: memberOption({ required: true, description: "option.member", placeholder: "usage.person" }),
  },
  fromText: oneMention,
  async run(ctx, input) {
    // Found, never created: removing someone Closer has not met changes nothing.
    const target = await ctx.findMember(input.member);
    const { member, openDeals } = await ctx.sales.members.removeMember(ctx.workspace, ctx.actor, target);
    const count = openDeals.length;
    return {
      title: ctx.t("member.removed", { name: member.displayName }),
      lines: [
        ctx.t("member.removed_history"),
        count
          ? ctx.t(`member.open_deals_${pluralForm(ctx.locale, count)}`, { count: ctx.fmt.integer(count) })
          : ctx.t("member.no_open_deals"),
        ...openDeals.map((d) =>
          ctx.t("member.open_deal", {
            number: d.number,
            customer: d.customer,
            amount: ctx.fmt.money(d.amount),
            stage: ctx.t(`stage.${d.stage}`),
          }),
        ),
      ],
    };
  },
});

export const memberRestore = defineCommand({
  name: "closer member restore",
  description: "command.member_restore",
  visibility: "ephemeral",
  options: {
    member: memberOption({ required: true, description: "option.member", placeholder: "usage.person" }),
  },
  fromText: oneMention,
  async run(ctx, input) {
    const target = await ctx.findMember(input.member);
    const member = await ctx.sales.members.restoreMember(ctx.workspace, ctx.actor, target);
    return { title: ctx.t("member.restored", { name: member.displayName }), lines: [] };
  },
});

export const teamAdd = defineCommand({
  name: "closer team add",
  description: "command.team_add",
  visibility: "public",
  options: {
    team: textOption(80, {
      required: true,
      description: "option.team",
      placeholder: "usage.team_name",
      missing: "input.team_required",
    }),
    member: membersOption({ required: true, description: "option.members" }),
  },
  fromText(tokens) {
    const names = tokens.filter((t) => t.kind === "word").map(tokenText);
    return {
      team: names.join(" ") || undefined,
      member: tokens.flatMap((t) => (t.kind === "mention" ? [t.ref] : [])),
    };
  },
  async run(ctx, input) {
    const members = await Promise.all(input.member.map((m) => ctx.resolveMember(m)));
    const team = await ctx.sales.members.addToTeam(ctx.workspace, ctx.actor, input.team, members);
    return {
      title: ctx.t("team.added", {
        team: team.name,
        names: members.map((m) => m.displayName).join(", "),
        count: members.length,
      }),
      lines: [],
    };
  },
});

export const teamRemove = defineCommand({
  name: "closer team remove",
  description: "command.team_remove",
  visibility: "ephemeral",
  options: { member: membersOption({ required: true, description: "option.members" }) },
  fromText: (tokens) => ({ member: tokens.flatMap((t) => (t.kind === "mention" ? [t.ref] : [])) }),
  async run(ctx, input) {
    const members = await Promise.all(input.member.map((m) => ctx.resolveMember(m)));
    await ctx.sales.members.removeFromTeam(ctx.workspace, ctx.actor, members);
    return {
      title: ctx.t("team.removed", {
        names: members.map((m) => m.displayName).join(", "),
        count: members.length,
      }),
      lines: [],
    };
  },
});

export const teamRename = defineCommand({
  name: "closer team rename",
  description: "command.team_rename",
  visibility: "public",
  options: {
    team: textOption(80, {
      required: true,
      description: "option.team",
      placeholder: "usage.team_name",
      missing: "input.team_required",
    }),
    new_name: textOption(80, {
      required: true,
      description: "option.team_new_name",
      placeholder: "usage.team_new_name",
      missing: "input.team_new_name_required",
    }),
  },
  // Two names; one with spaces is quoted ("North East").
  fromText: twoValues("team", "new_name"),
  async run(ctx, input) {
    const r = await ctx.sales.members.renameTeam(ctx.workspace, ctx.actor, input.team, input.new_name);
    return { title: ctx.t("team.renamed", { previous: r.previous, name: r.team.name }), lines: [] };
  },
});

export const teamDelete = defineCommand({
  name: "closer team delete",
  description: "command.team_delete",
  visibility: "public",
  options: {
    team: textOption(80, {
      required: true,
      description: "option.team",
      placeholder: "usage.team_name",
      missing: "input.team_required",
    }),
  },
  fromText: (tokens) => ({ team: tokens.map(tokenText).join(" ") || undefined }),
  async run(ctx, input) {
    const r = await ctx.sales.members.deleteTeam(ctx.workspace, ctx.actor, input.team);
    const count = (n: number) => ctx.fmt.integer(n);
    return {
      title: ctx.t("team.deleted", { name: r.team.name }),
      lines: [
        ctx.t(`team.deleted_members_${pluralForm(ctx.locale, r.members)}`, { count: count(r.members) }),
        ctx.t(`team.deleted_goals_${pluralForm(ctx.locale, r.goals)}`, { count: count(r.goals) }),
      ],
    };
  },
});

export const teamList = defineCommand({
  name: "closer team list",
  description: "command.team_list",
  visibility: "ephemeral",
  options: {},
  async run(ctx) {
    const teams = await ctx.sales.members.listTeams(ctx.workspace);
    const members = await ctx.sales.members.listMembers(ctx.workspace);
    const removed = await ctx.sales.members.listMembers(ctx.workspace, { removed: true });
    const names = (list: { displayName: string }[]) => list.map((m) => m.displayName).join(", ") || "–";
    return {
      title: ctx.t("team.title"),
      lines: [
        ...(teams.length ? [] : [ctx.t("team.none")]),
        ...teams.map((t) =>
          ctx.t("team.line", {
            team: t.name,
            managers: names(t.members.filter((m) => m.role !== "rep")),
            members: names(t.members.filter((m) => m.role === "rep")),
          }),
        ),
        ctx.t("team.members", {
          names: members.map((m) => `${m.displayName} (${ctx.t(`role.${m.role}`)})`).join(", "),
        }),
        ...(removed.length ? [ctx.t("team.removed_members", { names: names(removed) })] : []),
      ],
    };
  },
});

export const status = defineCommand({
  name: "closer status",
  description: "command.status",
  visibility: "ephemeral",
  options: {},
  async run(ctx) {
    const ws = ctx.workspace;
    const q = await ctx.sales.outbox.status(ws, ctx.actor);
    const unset = ctx.t("status.unset");
    return {
      title: ctx.t("status.title"),
      lines: [
        ctx.t("status.queue", { pending: q.pending, failed: q.failed, sent: q.sent }),
        q.lastError
          ? ctx.t("status.last_error", {
              key: q.lastError.key,
              at: ctx.fmt.date(q.lastError.at),
              error: q.lastError.error,
            })
          : ctx.t("status.no_error"),
        ctx.t("status.channels", { wins: ws.winsChannel ?? unset, digest: ws.digestChannel ?? unset }),
        ctx.t("status.schedule", {
          time: ws.digestTime,
          days: scheduleDays(ws.digestDays ?? ws.workingDays, ctx.locale),
          timezone: ws.timezone,
        }),
      ],
    };
  },
});

export const me = defineCommand({
  name: "closer me",
  description: "command.me",
  visibility: "ephemeral",
  options: {},
  async run(ctx) {
    const { achievements, streak } = await ctx.sales.achievements.achievementsOf(ctx.workspace, ctx.actor);
    const lines = achievements.items.map((a) =>
      ctx.t("achievement.me.line", { date: ctx.fmt.date(a.at), what: achievementText(ctx, a) }),
    );
    return {
      title: ctx.t("achievement.me.title", { name: ctx.actor.displayName }),
      lines: [
        ...streakLines(ctx, streak),
        ...(lines.length ? lines : [ctx.t("achievement.me.none")]),
        ...moreLines(ctx, achievements),
      ],
    };
  },
});

export const retry = defineCommand({
  name: "closer retry",
  description: "command.retry",
  visibility: "ephemeral",
  options: {},
  async run(ctx) {
    const count = await ctx.sales.outbox.retryFailed(ctx.workspace, ctx.actor);
    return { title: ctx.t("status.retried", { count }), lines: [] };
  },
});

export const tvLink = defineCommand({
  name: "closer tv",
  description: "command.tv",
  // The token is shown once, to the admin alone: a channel would hand the screen to everyone in it.
  visibility: "ephemeral",
  options: {},
  async run(ctx) {
    const link = await ctx.sales.links.createTvLink(ctx.workspace, ctx.actor);
    return {
      title: ctx.t("link.tv_title"),
      lines: [ctx.t("link.tv_open", { url: link.url }), ctx.t("link.tv_once")],
    };
  },
});

export const tvRevoke = defineCommand({
  name: "closer tv revoke",
  description: "command.tv_revoke",
  visibility: "ephemeral",
  options: {},
  async run(ctx) {
    const count = await ctx.sales.links.revokeTvLinks(ctx.workspace, ctx.actor);
    return {
      title: count > 0 ? ctx.t("link.tv_revoked", { count }) : ctx.t("link.tv_revoked_none"),
      lines: count > 0 ? [ctx.t("link.tv_revoked_after")] : [],
    };
  },
});

export const dashboardLink = defineCommand({
  name: "closer dashboard",
  description: "command.dashboard",
  visibility: "ephemeral",
  options: {},
  async run(ctx) {
    const link = await ctx.sales.links.createDashboardLink(ctx.workspace, ctx.actor);
    const scope = link.team ? ctx.t("page.scope_team", { team: link.team.name }) : ctx.t("page.scope_all");
    return {
      title: ctx.t("link.dashboard_title", { scope }),
      lines: [
        ctx.t("link.dashboard_open", { url: link.url }),
        ctx.t("link.dashboard_until", { date: ctx.fmt.date(link.expiresAt ?? ctx.sales.clock.now()) }),
      ],
    };
  },
});
