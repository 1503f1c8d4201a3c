import { focusLines } from "../messages/focus-lines.js";
import type { Scope } from "../sales/scope.js";
import { defineCommand } from "./command.js";
import { leftover, tokenText } from "./grammar/tokens.js";
import { vocabulary } from "./grammar/words.js";
import { choiceOption, memberOption, teamOption } from "./options.js";

/** The word that asks for one's team's list: `/focus team`, `/focus équipe`. */
const FOCUS_VIEW_WORDS = vocabulary(["team"] as const, { team: { fr: ["équipe"] } });

const whose = { name: "whose", required: false };

/**
 * `/focus [team [<name>]|@rep]`: today's short list, most valuable first, each line with its one
 * action as a button. Alone, the caller's own; `team`, their team's (everyone's for admins and
 * managers who lead no team); `team <name>` or `team:<name>`, that team's; `@rep`, that rep's.
 */
export const focus = defineCommand({
  name: "focus",
  description: "command.focus",
  visibility: "ephemeral",
  options: {
    view: choiceOption(FOCUS_VIEW_WORDS, "input.focus_view", {
      description: "option.focus_view",
      group: whose,
    }),
    team: teamOption({ description: "option.focus_team", group: whose }),
    member: memberOption({ description: "option.focus_member", group: whose }),
  },
  refine: (schema) =>
    schema.refine((v) => !(v.member && (v.view || v.team)), { message: "input.focus_one_list" }),
  fromText(tokens) {
    const mention = tokens.find((t) => t.kind === "mention");
    const words = tokens.filter((t) => t !== mention);
    const [first, ...rest] = words;
    const team = first?.kind === "word" && FOCUS_VIEW_WORDS.read(first.text) !== undefined;
    return {
      member: mention?.kind === "mention" ? mention.ref : undefined,
      ...(team ? { view: tokenText(first), team: leftover(rest) } : { extra: leftover(words) }),
    };
  },
  async run(ctx, input) {
    const ws = ctx.workspace;
    let scope: Scope = { scope: "member", member: ctx.actor };
    if (input.member) scope = { scope: "member", member: await ctx.findMember(input.member) };
    else if (input.team) scope = { scope: "team", team: await ctx.sales.members.findTeam(ws, input.team) };
    else if (input.view === "team") scope = await ctx.sales.focus.teamScopeOf(ws, ctx.actor);
    const items = await ctx.sales.focus.focusList(ws, ctx.actor, scope);
    const who =
      scope.scope === "member"
        ? scope.member.displayName
        : scope.scope === "team"
          ? scope.team.name
          : ctx.t("focus.everyone");
    const { lines, actions } = focusLines(ctx, items, { owners: scope.scope !== "member" });
    return {
      title: ctx.t("focus.title", { who, date: ctx.fmt.date(ctx.sales.clock.now()) }),
      lines,
      actions,
    };
  },
});
