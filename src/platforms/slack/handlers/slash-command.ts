import type { App, RespondArguments, types } from "@slack/bolt";
import { SLASH_COMMANDS } from "../../../commands/registry.js";
import { translator } from "../../../messages/i18n.js";
import { errorReply } from "../../../messages/reply.js";
import { within } from "../../../within.js";
import { dealModal } from "../deal-modal.js";
import { hasCharts, type ListenerKit, toSlack } from "../listener-kit.js";
import { unescapeSlack } from "../slack-context.js";

/**
 * Every slash command: answered in its acknowledgement when the answer is ready within the budget
 * (none while other commands run), else acknowledged empty and answered through response_url; the
 * acknowledgement never waits longer, whatever the database does. A file the answer carries goes
 * to the user by DM after it; one with charts always through response_url, its pictures uploaded
 * first. `/deal` alone opens the form.
 */
export function onSlashCommand(app: App, kit: ListenerKit) {
  for (const name of SLASH_COMMANDS) {
    app.command(`/${name}`, async ({ command, ack, respond, client }) => {
      const teamId = command.team_id;
      const claimKey = `slack:${teamId}:command:${command.trigger_id}`;
      const text = unescapeSlack(command.text ?? "").trim();
      if (name === "deal" && text === "") {
        await ack();
        try {
          if (!(await kit.claim(claimKey))) return;
          const ctx = await kit.identities.contextFor(client, teamId, command.user_id);
          await client.views.open({
            trigger_id: command.trigger_id,
            view: dealModal(ctx, { channelId: command.channel_id }) as types.ModalView,
          });
        } catch (error) {
          kit.log.error({ err: error }, "slack deal form failed");
          const locale = await kit.identities
            .localeOf(client, teamId, command.user_id)
            .catch(() => undefined);
          const t = translator(locale ?? "en");
          await respond(toSlack(undefined, errorReply(t("error.generic"))) as RespondArguments);
        }
        return;
      }
      const budgetMs = kit.ackBudgetMs();
      const work = kit.run({
        client,
        teamId,
        userId: command.user_id,
        input: { line: `/${name} ${text}` },
        claimKey,
        requestId: command.trigger_id,
        // `/deal delete` and the like ask first, with a button that runs them.
        ask: true,
      });
      const early = await within(work, budgetMs);
      // An answer with charts follows through response_url: its pictures are drawn and uploaded first.
      if (early !== undefined && !hasCharts(early)) {
        await ack(early ? toSlack(early.ctx, early.reply) : undefined);
        if (early) await kit.deliverFile(client, command.user_id, early, respond);
        return;
      }
      await ack();
      const answer = early ?? (await work);
      if (!answer) return;
      const message = hasCharts(answer)
        ? await kit.withCharts(client, answer)
        : toSlack(answer.ctx, answer.reply);
      await respond(message as RespondArguments);
      await kit.deliverFile(client, command.user_id, answer, respond);
    });
  }
}
