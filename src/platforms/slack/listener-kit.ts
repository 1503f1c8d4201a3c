import type { RespondFn, types, webApi } from "@slack/bolt";
import type { CommandContext } from "../../commands/command.js";
import type { Logger } from "../../logger.js";
import type { Reply } from "../../messages/reply.js";
import { LOST_REASONS } from "../../sales/deals/stages.js";
import type { EdgeAnswer, EdgeRequest } from "../edge.js";
import type { ClaimRequest } from "../processed-requests.js";
import { renderBlocks } from "./render-blocks.js";
import type { SlackIdentities } from "./slack-context.js";

type WebClient = webApi.WebClient;

/** One Slack request to run as a command. */
export interface SlackRequest {
  client: WebClient;
  /** The team in the payload; a request without one is refused and creates nothing. */
  teamId: string | undefined;
  userId: string;
  input: EdgeRequest["input"];
  /** Claimed first, so a redelivered request is not run twice (the kit then answers null). */
  claimKey: string;
  /** The idempotency key of what the command writes (a deal logged from it is logged once). */
  requestId?: string | undefined;
  /** Ask before running a command that declares a confirmation (typed commands; not the button that confirms). */
  ask?: boolean;
}

/** What every Slack listener works with: who is asking, running through the edge, claiming a request once. */
export interface ListenerKit {
  log: Logger;
  identities: SlackIdentities;
  claim: ClaimRequest;
  /**
   * How long the command about to run may take to be answered in its acknowledgement, later through
   * response_url: the budget while no other command runs, else 0 (under load a command waits for
   * its turn, and waiting for its answer would only delay the acknowledgement).
   */
  ackBudgetMs(): number;
  /** Runs a command for a Slack user through the edge: null for a redelivery. */
  run(request: SlackRequest): Promise<EdgeAnswer | null>;
  /**
   * Sends the file an answer carries (an export) to the user who asked, by DM, once the answer is
   * given; when that fails, tells them so through `respond`, for them alone. Never throws.
   */
  deliverFile(client: WebClient, userId: string, answer: EdgeAnswer, respond: RespondFn): Promise<void>;
  /**
   * An answer as Slack message arguments with its charts drawn, uploaded and shown as image blocks;
   * a chart that cannot be drawn or uploaded is left out (and logged), never the answer.
   */
  withCharts(client: WebClient, answer: EdgeAnswer): Promise<ReturnType<typeof toSlack>>;
}

/** The answer carries pictures: drawing and uploading them takes longer than an acknowledgement may. */
export function hasCharts(answer: EdgeAnswer | null | undefined): boolean {
  return (answer?.reply.charts?.length ?? 0) > 0;
}

/** A reply as Slack message arguments; the lost-reason picker needs the workspace's language. */
export function toSlack(ctx: CommandContext | undefined, reply: Reply) {
  const { text, blocks } = renderBlocks(
    reply,
    ctx && {
      lostPlaceholder: ctx.t("action.lost_placeholder"),
      lostReasons: LOST_REASONS.map((r) => ({ label: ctx.t(`reason.${r}`), value: r })),
    },
  );
  // Our renderer builds Block Kit JSON within Slack's limits; the Slack types only check its shape.
  return {
    text,
    blocks: blocks as types.KnownBlock[],
    response_type: reply.visibility === "public" ? ("in_channel" as const) : ("ephemeral" as const),
  };
}
