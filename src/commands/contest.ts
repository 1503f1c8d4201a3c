import { z } from "zod";
import {
  contestRules,
  contestScore,
  contestTime,
  standingLine,
  standingLines,
} from "../messages/contest-lines.js";
import type { Member } from "../sales/deps.js";
import { defineCommand } from "./command.js";
import { shown } from "./grammar/fields.js";
import { tokenText } from "./grammar/tokens.js";
import { CONTEST_METRIC_WORDS, KEY_WORDS, TEAMS_WORDS } from "./grammar/words.js";
import { choiceOption, dateOption, textOption } from "./options.js";

/** How many places `/contest show` lists before the caller's own. */
const SHOWN_PLACES = 10;

/** `teams` (fr `équipes`) in the text form, or Discord's true: team against team. */
const teamsOption = {
  ...choiceOption(TEAMS_WORDS, "input.unexpected", { description: "option.contest_teams" }),
  kind: "boolean" as const,
  schema: () =>
    z.union([z.boolean(), z.string()]).transform((v, ctx) => {
      if (typeof v === "boolean") return v;
      if (TEAMS_WORDS.read(v)) return true;
      ctx.addIssue({ code: "custom", message: "input.unexpected", params: { value: shown(v) } });
      return z.NEVER;
    }),
};

/** `for:team:<name>` (fr `pour:équipe:<nom>`), or on Discord the team's name alone. */
const forTeamOption = {
  ...textOption(90, { named: true, description: "option.contest_for", placeholder: "usage.contest_for" }),
  schema: () =>
    z.string().transform((v, ctx) => {
      const match = /^([^:]+):(.*)$/su.exec(v.trim());
      const name = (match && KEY_WORDS.read(match[1] ?? "") === "team" ? (match[2] ?? "") : v).trim();
      if (name === "" || name.startsWith("@") || name.startsWith("<@")) {
        ctx.addIssue({ code: "custom", message: "input.contest_for", params: { value: shown(v) } });
        return z.NEVER;
      }
      return name.slice(0, 80);
    }),
};

const nameOption = textOption(80, {
  required: true,
  description: "option.contest_name",
  placeholder: "usage.contest_name",
  missing: "input.contest_name_required",
});

/** The words of the text form are the contest's name (quoted or not). */
const nameFromText = (tokens: Parameters<typeof tokenText>[0][]) => ({
  name: tokens.map(tokenText).join(" ") || undefined,
});

/** Whether a member scores in a contest by their deals alone (not a team's average, nor a goal they may lack). */
const takesPart = (c: { teamMode: boolean; metric: string; teamId: number | null }, m: Member) =>
  !c.teamMode && c.metric !== "attainment" && (c.teamId === null || c.teamId === m.teamId);

export const contestCreate = defineCommand({
  name: "contest create",
  description: "command.contest_create",
  visibility: "public",
  options: {
    name: nameOption,
    metric: choiceOption(CONTEST_METRIC_WORDS, "input.contest_metric", {
      required: true,
      named: true,
      description: "option.contest_metric",
      missing: "input.contest_metric_required",
    }),
    from: dateOption({
      required: true,
      named: true,
      description: "option.contest_from",
      missing: "input.contest_from_required",
    }),
    to: dateOption({
      required: true,
      named: true,
      description: "option.contest_to",
      missing: "input.contest_to_required",
    }),
    prize: textOption(200, { named: true, description: "option.contest_prize", placeholder: "usage.quoted" }),
    teams: teamsOption,
    for: forTeamOption,
  },
  fromText(tokens) {
    // `teams` (or `équipes`) among the words makes it team against team; the other words are the name.
    const words = tokens.map(tokenText);
    const flag = words.find((w) => TEAMS_WORDS.read(w));
    const name = words.filter((w) => w !== flag);
    return { name: name.join(" ") || undefined, teams: flag };
  },
  refine: (schema) => schema.refine((v) => v.from <= v.to, { message: "input.contest_order", path: ["to"] }),
  async run(ctx, input) {
    const team = input.for ? await ctx.sales.members.findTeam(ctx.workspace, input.for) : null;
    const saved = await ctx.sales.contests.createContest(ctx.workspace, ctx.actor, {
      name: input.name,
      metric: input.metric,
      from: input.from,
      to: input.to,
      prize: input.prize,
      teamMode: input.teams ?? false,
      team,
    });
    return {
      title: ctx.t(`contest.${saved.outcome}`, { name: saved.contest.name }),
      lines: [...contestRules(ctx, saved), contestTime(ctx, saved, ctx.parse.now)],
    };
  },
});

export const contestList = defineCommand({
  name: "contest",
  description: "command.contest_list",
  visibility: "ephemeral",
  discord: { sub: "list" },
  options: {},
  async run(ctx) {
    const contests = await ctx.sales.contests.listContests(ctx.workspace);
    return {
      title: ctx.t("contest.list_title"),
      lines: contests.length
        ? contests.map((c) =>
            ctx.t("contest.list_line", {
              name: c.contest.name,
              metric: ctx.t(`contest.metric_short.${c.contest.metric}`),
              from: ctx.fmt.day(c.first),
              to: ctx.fmt.day(c.last),
              time: contestTime(ctx, c, ctx.parse.now),
            }),
          )
        : [ctx.t("contest.none")],
    };
  },
});

export const contestShow = defineCommand({
  name: "contest show",
  description: "command.contest_show",
  visibility: "ephemeral",
  options: { name: nameOption },
  fromText: nameFromText,
  async run(ctx, input) {
    const standings = await ctx.sales.contests.showContest(ctx.workspace, input.name);
    const lines = [
      contestTime(ctx, standings, ctx.parse.now),
      ...contestRules(ctx, standings),
      ...(standings.phase === "upcoming" ? [] : standingLines(ctx, standings, SHOWN_PLACES)),
    ];
    // The caller's own place, when the first places do not show it: how far from the leader they are.
    const own = standings.contest.teamMode ? ctx.actor.teamId : ctx.actor.id;
    const leader = standings.rows[0];
    const mine = standings.rows.find((r) => r.id === own);
    if (leader && mine && mine.place > 0 && standings.rows.indexOf(mine) >= SHOWN_PLACES) {
      lines.push(ctx.t("contest.yours", { line: standingLine(ctx, standings, mine, leader.score) }));
    } else if (leader && !mine && takesPart(standings.contest, ctx.actor)) {
      lines.push(ctx.t("contest.yours_none", { gap: contestScore(ctx, standings, leader.score) }));
    }
    return { title: ctx.t("contest.title", { name: standings.contest.name }), lines };
  },
});

export const contestCancel = defineCommand({
  name: "contest cancel",
  description: "command.contest_cancel",
  visibility: "public",
  options: { name: nameOption },
  fromText: nameFromText,
  async run(ctx, input) {
    const cancelled = await ctx.sales.contests.cancelContest(ctx.workspace, ctx.actor, input.name);
    return { title: ctx.t("contest.cancelled", { name: cancelled.contest.name }), lines: [] };
  },
});
