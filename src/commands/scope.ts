import { z } from "zod";
import type { GoalTarget } from "../sales/goals/goal-service.js";
import { EVERYONE, type OwnerFilter } from "../sales/kpis/scope-filter.js";
import type { CommandContext } from "./command.js";
import { memberRef, text } from "./grammar/fields.js";
import { splitOptions, type Token } from "./grammar/tokenize.js";

/** `@rep`, `team:<name>` or `company` in a command, as typed. */
export const ScopeInput = z.object({
  member: memberRef.optional(),
  team: text(80).optional(),
  company: z.boolean().optional(),
});
export type ScopeInput = z.infer<typeof ScopeInput>;

/** Reads the scope part of a command's tokens; `words` are the positional words left. */
export function scopeFromTokens(tokens: Token[]): { scope: ScopeInput; words: string[] } {
  const { positional, options } = splitOptions(tokens);
  const mention = positional.find((t) => t.kind === "mention");
  const words = positional.filter((t) => t.kind === "word").map((t) => (t.kind === "word" ? t.text : ""));
  const company = words.some((w) =>
    ["company", "entreprise", "societe", "société"].includes(w.toLowerCase()),
  );
  return {
    scope: {
      member: mention?.kind === "mention" ? mention.ref : undefined,
      team: options.team,
      company: company || undefined,
    },
    words: words.filter((w) => !["company", "entreprise", "societe", "société"].includes(w.toLowerCase())),
  };
}

export interface ResolvedScope {
  target: GoalTarget;
  filter: OwnerFilter;
  /** Display name: the member's, the team's, or "company". */
  label: string;
}

/** Resolves a scope; `fallback` decides what no scope means (the actor, or the company). */
export async function resolveScope(
  ctx: CommandContext,
  input: ScopeInput,
  fallback: "actor" | "company",
): Promise<ResolvedScope> {
  if (input.member) {
    const member = await ctx.resolveMember(input.member);
    return {
      target: { scope: "member", member },
      filter: { kind: "owners", ownerIds: [member.id] },
      label: member.displayName,
    };
  }
  if (input.team) {
    const team = await ctx.sales.members.findTeam(ctx.workspace, input.team);
    const ownerIds = await ctx.sales.members.teamMemberIds(ctx.workspace, team.id);
    return { target: { scope: "team", team }, filter: { kind: "owners", ownerIds }, label: team.name };
  }
  if (input.company || fallback === "company") {
    return { target: { scope: "company" }, filter: EVERYONE, label: ctx.t("scope.company") };
  }
  return {
    target: { scope: "member", member: ctx.actor },
    filter: { kind: "owners", ownerIds: [ctx.actor.id] },
    label: ctx.actor.displayName,
  };
}
