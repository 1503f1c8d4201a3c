import type { App } from "@slack/bolt";
import type { Command } from "../../../commands/command.js";
import { dealLog } from "../../../commands/deal.js";
import { describeIssue, validate } from "../../../commands/execute.js";
import { DEAL_MODAL_ID, type DealModalMetadata, dealModalInput } from "../deal-modal.js";
import { type ListenerKit, toSlack } from "../listener-kit.js";

const command = dealLog as Command<unknown>;

/** The `/deal` form submitted: refused on its fields, or the deal logged and posted where `/deal` was typed. */
export function onViewSubmission(app: App, kit: ListenerKit) {
  app.view(DEAL_MODAL_ID, async ({ ack, body, view, client }) => {
    const teamId = body.team?.id ?? "";
    const raw = dealModalInput(view.state.values);
    const { ctx, reply } = await kit.run(client, teamId, body.user.id, { command, raw }, `view:${view.id}`);
    if (reply.tone === "error") {
      // Input errors land on their fields; any other refusal on the first one.
      const errors: Record<string, string> = {};
      const parsed = ctx ? validate(command, raw, ctx.parse) : undefined;
      for (const issue of parsed?.success === false ? parsed.error.issues : []) {
        if (ctx) errors[String(issue.path[0] ?? "amount")] ??= describeIssue(ctx.t, issue);
      }
      await ack({
        response_action: "errors",
        errors: Object.keys(errors).length ? errors : { amount: reply.lines.join(" ") },
      });
      return;
    }
    await ack();
    const { channelId } = JSON.parse(view.private_metadata || "{}") as Partial<DealModalMetadata>;
    const message = toSlack(ctx, reply);
    await client.chat.postMessage({
      channel: channelId ?? body.user.id,
      text: message.text,
      blocks: message.blocks,
    });
  });
}
