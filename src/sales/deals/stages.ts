import type { Stage } from "../deps.js";

export const STAGES = [
  "lead",
  "qualified",
  "proposal",
  "negotiation",
  "won",
  "lost",
] as const satisfies readonly Stage[];
export const OPEN_STAGES = [
  "lead",
  "qualified",
  "proposal",
  "negotiation",
] as const satisfies readonly Stage[];
export type OpenStage = (typeof OPEN_STAGES)[number];
export const LOST_REASONS = ["price", "product", "timing", "competitor", "no_decision", "other"] as const;

/** The probability a deal gets when it enters a stage, unless the rep overrides it. */
export const DEFAULT_PROBABILITY: Record<Stage, number> = {
  lead: 10,
  qualified: 25,
  proposal: 50,
  negotiation: 75,
  won: 100,
  lost: 0,
};

export function isOpenStage(stage: Stage): boolean {
  return stage !== "won" && stage !== "lost";
}

/** The stage after `stage` in the funnel, or undefined at negotiation and beyond. */
export function nextStage(stage: Stage): Stage | undefined {
  const i = OPEN_STAGES.indexOf(stage as (typeof OPEN_STAGES)[number]);
  return i >= 0 && i < OPEN_STAGES.length - 1 ? OPEN_STAGES[i + 1] : undefined;
}
