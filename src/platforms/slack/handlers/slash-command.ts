import type { App, RespondArguments, types } from "@slack/bolt";
import { SLASH_COMMANDS } from "../../../commands/registry.js";
import { within } from "../../../within.js";
import { dealModal } from "../deal-modal.js";
import { type ListenerKit, toSlack } from "../listener-kit.js";
import { unescapeSlack } from "../slack-context.js";

/**
 * Every slash command: answered in its acknowledgement when the work is done within the budget,
 * else acknowledged empty and answered through response_url; `/deal` alone opens the form.
 */
export function onSlashCommand(app: App, kit: ListenerKit) {
  for (const name of SLASH_COMMANDS) {
    app.command(`/${name}`, async ({ command, ack, respond, client }) => {
      const teamId = command.team_id;
      if (!(await kit.claim(`slack:${teamId}:command:${command.trigger_id}`))) {
        await ack();
        return;
      }
      const text = unescapeSlack(command.text ?? "").trim();
      if (name === "deal" && text === "") {
        await ack();
        const ctx = await kit.identities
          .contextFor(client, teamId, command.user_id)
          .catch((error: unknown) => {
            kit.log.error({ err: error }, "slack modal context failed");
            return undefined;
          });
        if (ctx) {
          await client.views.open({
            trigger_id: command.trigger_id,
            view: dealModal(ctx, { channelId: command.channel_id }) as types.ModalView,
          });
        }
        return;
      }
      const work = kit.run(client, teamId, command.user_id, { line: `/${name} ${text}` }, command.trigger_id);
      const early = await within(work, kit.ackBudgetMs);
      if (early) {
        await ack(toSlack(early.ctx, early.reply));
        return;
      }
      await ack();
      const { ctx, reply } = await work;
      await respond(toSlack(ctx, reply) as RespondArguments);
    });
  }
}
