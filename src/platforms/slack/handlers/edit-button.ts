import type { App, BlockButtonAction, RespondArguments, types } from "@slack/bolt";
import { dealNumber } from "../../../commands/grammar/fields.js";
import { isAppError } from "../../../errors.js";
import { errorReply } from "../../../messages/reply.js";
import { dealEditModal } from "../deal-modal.js";
import { type ListenerKit, toSlack } from "../listener-kit.js";

/**
 * A deal's Edit button (`deal.edit`, or `deal.edit.<n>` on the nth line of a focus list): opens the edit form, prefilled with the deal's current values, within the
 * three seconds Slack gives a trigger id. Submitting it runs `/deal edit` (see view-submission).
 * A deal that is gone or deleted is answered to the clicking user instead.
 */
export function onEditButton(app: App, kit: ListenerKit) {
  app.action<BlockButtonAction>(/^deal\.edit(\.\d+)?$/, async ({ ack, body, action, respond, client }) => {
    await ack();
    const teamId = body.team?.id;
    if (!teamId) return;
    if (!(await kit.claim(`slack:${teamId}:action:${body.trigger_id}:${action.action_ts}`))) return;
    const number = dealNumber.safeParse((action.value ?? "").replace(/^\/deal edit\s+/, ""));
    if (!number.success) return;
    const ctx = await kit.identities.contextFor(client, teamId, body.user.id);
    try {
      const deal = await ctx.sales.deals.getDeal(ctx.workspace, number.data);
      if (deal.deletedAt) {
        const refusal = errorReply(ctx.t("error.deal_deleted", { number: deal.number }));
        await respond(toSlack(ctx, refusal) as RespondArguments);
        return;
      }
      await client.views.open({
        trigger_id: body.trigger_id,
        view: dealEditModal(ctx, deal, body.channel?.id) as types.ModalView,
      });
    } catch (error) {
      const reply = isAppError(error)
        ? errorReply(ctx.t(error.key, error.params))
        : errorReply(ctx.t("error.generic"));
      if (!isAppError(error)) kit.log.error({ err: error }, "slack edit form failed");
      await respond(toSlack(ctx, reply) as RespondArguments);
    }
  });
}
