/**
 * The Slack reference: a bare Bolt app in a process of its own, on Bolt's own HTTPReceiver, with one
 * listener for every slash command that answers in its ack with a fixed message, BARE_REPLY.
 * Started by `../slack.ts` with SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_API_URL; logs
 * `{"msg":"bare app ready","port":…}` on stderr once it listens on PORT (0: any free port), and
 * stops on SIGTERM.
 */
import type { AddressInfo } from "node:net";
import { App } from "@slack/bolt";

const env = process.env;
const app = new App({
  token: env.SLACK_BOT_TOKEN,
  signingSecret: env.SLACK_SIGNING_SECRET ?? "",
  clientOptions: { slackApiUrl: env.SLACK_API_URL },
});
const reply = env.BARE_REPLY ?? "ok";
app.command(/.*/, async ({ ack }) => {
  await ack({ response_type: "ephemeral", text: reply });
});
const server = await app.start(Number(env.PORT ?? 0));
const { port } = server.address() as AddressInfo;
process.stderr.write(`${JSON.stringify({ msg: "bare app ready", port })}\n`);
process.once("SIGTERM", () => {
  app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
