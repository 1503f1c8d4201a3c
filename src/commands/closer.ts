import { translator } from "../messages/i18n.js";
import { scheduleDays, settingValue } from "../messages/settings.js";
import { CONFIG_KEYS, configValue } from "../sales/workspaces/workspace-service.js";
import { defineCommand } from "./command.js";
import { tokenText } from "./grammar/tokens.js";
import { ROLE_WORDS, vocabulary } from "./grammar/words.js";
import { choiceOption, memberOption, membersOption, textOption } from "./options.js";

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
          const value = configValue(ctx.workspace, k);
          return [k, value === undefined ? ctx.t("status.unset") : settingValue(k, value, ctx.locale)];
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
        value: value === undefined ? t("status.unset") : settingValue(key, value, locale),
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

export const teamList = defineCommand({
  name: "closer team list",
  description: "command.team_list",
  visibility: "ephemeral",
  options: {},
  async run(ctx) {
    const teams = await ctx.sales.members.listTeams(ctx.workspace);
    const members = await ctx.sales.members.listMembers(ctx.workspace);
    return {
      title: ctx.t("team.title"),
      lines: [
        ...teams.map((t) =>
          ctx.t("team.line", { team: t.name, names: t.members.map((m) => m.displayName).join(", ") || "–" }),
        ),
        ctx.t("team.members", {
          names: members.map((m) => `${m.displayName} (${ctx.t(`role.${m.role}`)})`).join(", "),
        }),
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
