import type { Scope } from "../sales/scope.js";
import type { CommandContext } from "./command.js";
import { type MemberRef, type Token, tokenText } from "./grammar/tokens.js";
import { COMPANY_WORDS } from "./grammar/words.js";
import { companyOption, memberOption, teamOption } from "./options.js";

/** `@rep`, `team:<name>` or `company`: whose figures a command is about. */
export function scopeOptions(required = false) {
  const group = { name: "scope", required };
  return {
    member: memberOption({ description: "option.member", group }),
    team: teamOption({ description: "option.team", group }),
    company: companyOption({ description: "option.company", group }),
  };
}

/** The scope part of a command's input, as its options parse it. */
export interface ScopeInput {
  member?: MemberRef | undefined;
  team?: string | undefined;
  company?: boolean | undefined;
}

/** Reads a mention and the word `company` from a command's tokens; `words` are the other words. */
export function scopeFromTokens(tokens: Token[]): {
  scope: { member?: MemberRef; company?: string };
  words: string[];
} {
  const mention = tokens.find((t) => t.kind === "mention");
  // Anything else is a word for the command to read or refuse: a second mention is never dropped.
  const words = tokens.flatMap((t) => (t === mention ? [] : [t.kind === "word" ? t.text : tokenText(t)]));
  const company = words.find((w) => COMPANY_WORDS.read(w));
  return {
    scope: {
      ...(mention?.kind === "mention" ? { member: mention.ref } : {}),
      ...(company ? { company } : {}),
    },
    words: words.filter((w) => w !== company),
  };
}

export interface ResolvedScope {
  scope: Scope;
  /** Display name: the member's, the team's, or "company". */
  label: string;
}

/**
 * Resolves a scope; `fallback` decides what no scope means (the actor, or the company). A command
 * that only reads (`read`) names an existing member; one that acts on them may add them.
 */
export async function resolveScope(
  ctx: CommandContext,
  input: ScopeInput,
  fallback: "actor" | "company",
  use: "read" | "act" = "read",
): Promise<ResolvedScope> {
  if (input.member) {
    const member = await (use === "act" ? ctx.resolveMember(input.member) : ctx.findMember(input.member));
    return { scope: { scope: "member", member }, label: member.displayName };
  }
  if (input.team) {
    const team = await ctx.sales.members.findTeam(ctx.workspace, input.team);
    return { scope: { scope: "team", team }, label: team.name };
  }
  if (input.company || fallback === "company") {
    return { scope: { scope: "company" }, label: ctx.t("scope.company") };
  }
  return { scope: { scope: "member", member: ctx.actor }, label: ctx.actor.displayName };
}
