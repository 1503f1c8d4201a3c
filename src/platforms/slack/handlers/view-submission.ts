import { createHash } from "node:crypto";
import type { App, webApi } from "@slack/bolt";
import type { Command } from "../../../commands/command.js";
import { dealEdit, dealLog } from "../../../commands/deal.js";
import { describeIssue, validate } from "../../../commands/execute.js";
import { within } from "../../../within.js";
import type { EdgeAnswer } from "../../edge.js";
import {
  DEAL_EDIT_MODAL_ID,
  DEAL_MODAL_ID,
  type DealModalMetadata,
  dealEditModalInput,
  dealModalInput,
} from "../deal-modal.js";
import { type ListenerKit, toSlack } from "../listener-kit.js";

type StateValues = Parameters<typeof dealModalInput>[0];

/** The forms Closer opens: the command each submits, and its raw input from the fields and the hidden metadata. */
const FORMS: {
  id: string;
  command: Command<unknown>;
  raw(values: StateValues, metadata: DealModalMetadata): Record<string, unknown>;
}[] = [
  { id: DEAL_MODAL_ID, command: dealLog as Command<unknown>, raw: (values) => dealModalInput(values) },
  {
    id: DEAL_EDIT_MODAL_ID,
    command: dealEdit as Command<unknown>,
    raw: (values, metadata) => dealEditModalInput(values, metadata.number),
  },
];

/**
 * How long the form waits for its answer before closing: refusals within it land on their fields.
 * Slack closes a form that is not acknowledged within 3 s.
 */
const FORM_BUDGET_MS = 2000;

/** A channel id as Slack writes one: the form's hidden field names nothing else. */
const CHANNEL_ID = /^[CDG][A-Z0-9]{2,20}$/;

/**
 * The channel the form was opened from and the deal it edits, read from its hidden field; each
 * undefined when it names none.
 */
function metadataOf(privateMetadata: string): DealModalMetadata {
  try {
    const { channelId, number } = JSON.parse(privateMetadata || "{}") as {
      channelId?: unknown;
      number?: unknown;
    };
    return {
      channelId: typeof channelId === "string" && CHANNEL_ID.test(channelId) ? channelId : undefined,
      ...(typeof number === "number" && Number.isInteger(number) ? { number } : {}),
    };
  } catch {
    return { channelId: undefined };
  }
}

/** Field errors for a refusal: input errors on their fields, any other refusal on the first one. */
function fieldErrors(
  command: Command<unknown>,
  { ctx, reply }: EdgeAnswer,
  raw: Record<string, unknown>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const parsed = ctx ? validate(command, raw, ctx.parse) : undefined;
  for (const issue of parsed?.success === false ? parsed.error.issues : []) {
    if (ctx) errors[String(issue.path[0] ?? "amount")] ??= describeIssue(ctx.t, issue);
  }
  return Object.keys(errors).length ? errors : { amount: reply.lines.join(" ") };
}

/**
 * A form submitted (`/deal`, or a deal's Edit): refused on its fields, or its command run and its
 * answer posted where the form was opened. A form redelivered with the same values is answered
 * once. When the answer takes longer than the budget, the form closes and the answer comes as a
 * message (a refusal, to the user alone).
 */
export function onViewSubmission(app: App, kit: ListenerKit) {
  for (const form of FORMS) onForm(app, kit, form);
}

function onForm(app: App, kit: ListenerKit, { id, command, raw: rawOf }: (typeof FORMS)[number]) {
  app.view(id, async ({ ack, body, view, client }) => {
    const metadata = metadataOf(view.private_metadata);
    const raw = rawOf(view.state.values, metadata);
    const channel = metadata.channelId;
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
      await ack({ response_action: "errors", errors: fieldErrors(command, early, raw) });
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
