import type { App } from "@slack/bolt";
import { type ListenerKit, toSlack } from "../listener-kit.js";

/**
 * A deal's Won or Next-stage button, its lost-reason picker, a choice in a list (a customer a
 * search found), the Yes of a confirmation (`/deal delete`), or a focus line's action: the
 * command line it carries, run as the clicking user.
 */
export function onBlockAction(app: App, kit: ListenerKit) {
  app.action(
    /^(deal\.(won|lost|stage)|choice\.\d+|focus\.\d+|confirm)$/,
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const line =
        action.type === "button"
          ? action.value
          : action.type === "static_select"
            ? action.selected_option.value
            : undefined;
      if (!line) return;
      const teamId = body.team?.id;
      const answer = await kit.run({
        client,
        teamId,
        userId: body.user.id,
        input: { line },
        claimKey: `slack:${teamId}:action:${"trigger_id" in body ? body.trigger_id : ""}:${"action_ts" in action ? action.action_ts : ""}`,
      });
      if (!answer) return;
      await respond({ ...toSlack(answer.ctx, answer.reply), replace_original: false });
      await kit.deliverFile(client, body.user.id, answer, respond);
    },
  );
}
