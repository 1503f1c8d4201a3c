import { z } from "zod";
import { AppError } from "../errors.js";
import { translator } from "../messages/i18n.js";
import { CONFIG_KEYS, configValue } from "../sales/workspaces/workspace-service.js";
import { defineCommand } from "./command.js";
import { choice, memberRef, nothingMore, text } from "./grammar/fields.js";
import { leftover, splitOptions, tokenText } from "./grammar/tokenize.js";

export const configShow = defineCommand({
  name: "closer config show",
  usage: "/closer config show",
  input: () => z.object({ extra: nothingMore }),
  fromText: (tokens) => ({ extra: leftover(tokens) }),
  async run(ctx) {
    return {
      visibility: "ephemeral",
      title: ctx.t("config.title"),
      lines: [],
      table: {
        columns: [ctx.t("field.key"), ctx.t("field.value")],
        rows: CONFIG_KEYS.map((k) => [k, configValue(ctx.workspace, k)]),
      },
    };
  },
});

export const configSet = defineCommand({
  name: "closer config set",
  usage: "/closer config set <key> <value>",
  input: () =>
    z.object({ key: text(40, "input.config_key_required"), value: text(80, "input.config_value_required") }),
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
    return {
      visibility: "ephemeral",
      title: t("config.set", { key, value: configValue(ws, key) }),
      lines: [],
    };
  },
});

export const role = defineCommand({
  name: "closer role",
  usage: "/closer role @member <rep|manager|admin>",
  input: () =>
    z
      .object({
        member: memberRef.optional(),
        role: choice(["rep", "manager", "admin"] as const, "input.role"),
      })
      .refine((v) => v.member, { message: "input.member_required" }),
  fromText(tokens) {
    const { positional } = splitOptions(tokens);
    const mention = positional.find((t) => t.kind === "mention");
    const word = positional.find((t) => t.kind === "word");
    return {
      member: mention?.kind === "mention" ? mention.ref : undefined,
      role: word ? tokenText(word) : undefined,
    };
  },
  async run(ctx, input) {
    if (!input.member) throw new AppError("invalid_input", "input.member_required");
    const target = await ctx.resolveMember(input.member);
    const updated = await ctx.sales.members.setRole(ctx.workspace, ctx.actor, target, input.role);
    return {
      visibility: "public",
      title: ctx.t("role.set", { name: updated.displayName, role: ctx.t(`role.${updated.role}`) }),
      lines: [],
    };
  },
});

export const teamAdd = defineCommand({
  name: "closer team add",
  usage: "/closer team add <team> @member…",
  input: () =>
    z.object({
      team: text(80, "input.team_required"),
      members: z.array(memberRef).min(1, { error: "input.member_required" }),
    }),
  fromText(tokens) {
    const { positional, options } = splitOptions(tokens);
    const names = positional.filter((t) => t.kind === "word").map(tokenText);
    return {
      team: options.team ?? (names.join(" ") || undefined),
      members: positional.flatMap((t) => (t.kind === "mention" ? [t.ref] : [])),
    };
  },
  async run(ctx, input) {
    const members = await Promise.all(input.members.map((m) => ctx.resolveMember(m)));
    const team = await ctx.sales.members.addToTeam(ctx.workspace, ctx.actor, input.team, members);
    return {
      visibility: "public",
      title: ctx.t("team.added", { team: team.name, names: members.map((m) => m.displayName).join(", ") }),
      lines: [],
    };
  },
});

export const teamRemove = defineCommand({
  name: "closer team remove",
  usage: "/closer team remove @member…",
  input: () => z.object({ members: z.array(memberRef).min(1, { error: "input.member_required" }) }),
  fromText: (tokens) => ({ members: tokens.flatMap((t) => (t.kind === "mention" ? [t.ref] : [])) }),
  async run(ctx, input) {
    const members = await Promise.all(input.members.map((m) => ctx.resolveMember(m)));
    await ctx.sales.members.removeFromTeam(ctx.workspace, ctx.actor, members);
    return {
      visibility: "ephemeral",
      title: ctx.t("team.removed", { names: members.map((m) => m.displayName).join(", ") }),
      lines: [],
    };
  },
});

export const teamList = defineCommand({
  name: "closer team list",
  usage: "/closer team list",
  input: () => z.object({ extra: nothingMore }),
  fromText: (tokens) => ({ extra: leftover(tokens) }),
  async run(ctx) {
    const teams = await ctx.sales.members.listTeams(ctx.workspace);
    const members = await ctx.sales.members.listMembers(ctx.workspace);
    return {
      visibility: "ephemeral",
      title: ctx.t("team.title"),
      lines: [
        ...teams.map((t) => `${t.name}: ${t.members.map((m) => m.displayName).join(", ") || "–"}`),
        ctx.t("team.members", {
          names: members.map((m) => `${m.displayName} (${ctx.t(`role.${m.role}`)})`).join(", "),
        }),
      ],
    };
  },
});

export const status = defineCommand({
  name: "closer status",
  usage: "/closer status",
  input: () => z.object({ extra: nothingMore }),
  fromText: (tokens) => ({ extra: leftover(tokens) }),
  async run(ctx) {
    const ws = ctx.workspace;
    const q = await ctx.sales.outbox.status(ws, ctx.actor);
    const unset = ctx.t("status.unset");
    return {
      visibility: "ephemeral",
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
          days: ws.digestDays ?? ws.workingDays,
          timezone: ws.timezone,
        }),
      ],
    };
  },
});

export const retry = defineCommand({
  name: "closer retry",
  usage: "/closer retry",
  input: () => z.object({ extra: nothingMore }),
  fromText: (tokens) => ({ extra: leftover(tokens) }),
  async run(ctx) {
    const count = await ctx.sales.outbox.retryFailed(ctx.workspace, ctx.actor);
    return { visibility: "ephemeral", title: ctx.t("status.retried", { count }), lines: [] };
  },
});
