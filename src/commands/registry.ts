import { z } from "zod";
import { configSet, configShow, retry, role, status, teamAdd, teamList, teamRemove } from "./closer.js";
import type { Command } from "./command.js";
import { defineCommand } from "./command.js";
import { customerList, customerShow } from "./customer.js";
import { dealAssign, dealLog, dealLost, dealNote, dealStage, dealWon } from "./deal.js";
import { dealForm, dealList, dealShow } from "./deal-queries.js";
import { goalSet, goalShow } from "./goal.js";
import type { Token } from "./grammar/tokenize.js";
import { forecast, kpi, leaderboard } from "./kpi.js";
import { remindDone, remindList, remindSet } from "./remind.js";

/** The slash commands each platform registers. */
export const SLASH_COMMANDS = [
  "deal",
  "goal",
  "kpi",
  "leaderboard",
  "forecast",
  "customer",
  "remind",
  "closer",
] as const;
export type SlashCommand = (typeof SLASH_COMMANDS)[number];

export const help = defineCommand({
  name: "closer help",
  usage: "/closer help",
  input: () => z.object({}),
  fromText: () => ({}),
  async run(ctx) {
    return {
      visibility: "ephemeral",
      title: ctx.t("help.title"),
      lines: COMMANDS.filter((c) => c.usage !== "/deal").map((c) => c.usage),
    };
  },
});

/** Every command, in the order help lists them. */
export const COMMANDS: Command<unknown>[] = [
  dealLog,
  dealWon,
  dealLost,
  dealStage,
  dealNote,
  dealShow,
  dealList,
  dealAssign,
  dealForm,
  goalSet,
  goalShow,
  kpi,
  leaderboard,
  forecast,
  customerList,
  customerShow,
  remindList,
  remindDone,
  remindSet,
  help,
  configShow,
  configSet,
  role,
  teamAdd,
  teamRemove,
  teamList,
  status,
  retry,
];

const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));

export function commandNamed(name: string): Command<unknown> | undefined {
  return BY_NAME.get(name);
}

/**
 * The command a slash command's words select: the longest registered name that prefixes them
 * (`deal log …` before `deal`); `/closer` alone is help. Returns the remaining tokens as arguments.
 */
export function selectCommand(
  slash: string,
  tokens: Token[],
): { command: Command<unknown>; args: Token[] } | undefined {
  const words = tokens.map((t) => (t.kind === "word" ? t.text.toLowerCase() : ""));
  for (let n = Math.min(2, words.length); n >= 0; n--) {
    const command = BY_NAME.get([slash, ...words.slice(0, n)].join(" "));
    if (command) return { command, args: tokens.slice(n) };
  }
  return slash === "closer" && tokens.length === 0 ? { command: help, args: [] } : undefined;
}
