import { createHash } from "node:crypto";
import type { App, webApi } from "@slack/bolt";
import type { Command } from "../../../commands/command.js";
import { dealLog } from "../../../commands/deal.js";
import { describeIssue, validate } from "../../../commands/execute.js";
import { within } from "../../../within.js";
import type { EdgeAnswer } from "../../edge.js";
import { DEAL_MODAL_ID, dealModalInput } from "../deal-modal.js";
import { type ListenerKit, toSlack } from "../listener-kit.js";

const command = dealLog as Command<unknown>;

/**
 * How long the form waits for its answer before closing: refusals within it land on their fields.
 * Slack closes a form that is not acknowledged within 3 s.
 */
const FORM_BUDGET_MS = 2000;

/** A channel id as Slack writes one: the form's hidden field names nothing else. */
const CHANNEL_ID = /^[CDG][A-Z0-9]{2,20}$/;

/** The channel the form was opened from, read from its hidden field; undefined when it names none. */
function channelOf(privateMetadata: string): string | undefined {
  try {
    const { channelId } = JSON.parse(privateMetadata || "{}") as { channelId?: unknown };
    return typeof channelId === "string" && CHANNEL_ID.test(channelId) ? channelId : undefined;
  } catch {
    return undefined;
  }
}

/** Field errors for a refusal: input errors on their fields, any other refusal on the first one. */
function fieldErrors({ ctx, reply }: EdgeAnswer, raw: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  const parsed = ctx ? validate(command, raw, ctx.parse) : undefined;
  for (const issue of parsed?.success === false ? parsed.error.issues : []) {
    if (ctx) errors[String(issue.path[0] ?? "amount")] ??= describeIssue(ctx.t, issue);
  }
  return Object.keys(errors).length ? errors : { amount: reply.lines.join(" ") };
}

/**
 * The `/deal` form submitted: refused on its fields, or the deal logged and posted where `/deal`
 * was typed. A form redelivered with the same values is answered once. When the answer takes longer
 * than the budget, the form closes and the answer comes as a message (a refusal, to the user alone).
 */
export function onViewSubmission(app: App, kit: ListenerKit) {
  app.view(DEAL_MODAL_ID, async ({ ack, body, view, client }) => {
    const raw = dealModalInput(view.state.values);
    const channel = channelOf(view.private_metadata);
    const values = createHash("sha256").update(JSON.stringify(view.state.values)).digest("hex");
    const work = kit.run({
      client,
      teamId: body.team?.id,
      userId: body.user.id,
      input: { command, raw },
      claimKey: `slack:${body.team?.id}:view:${view.id}:${values}`,
      requestId: `view:${view.id}`,
    });
    const early = await within(work, FORM_BUDGET_MS);
    if (early?.reply.tone === "error") {
      await ack({ response_action: "errors", errors: fieldErrors(early, raw) });
      return;
    }
    await ack();
    const answer = early === undefined ? await work : early;
    if (answer)
      await post(client, answer, answer.reply.tone === "error" ? body.user.id : (channel ?? body.user.id));
  });
}

async function post(client: webApi.WebClient, { ctx, reply }: EdgeAnswer, channel: string) {
  const message = toSlack(ctx, reply);
  await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
}
