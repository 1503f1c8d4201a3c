import { Agent, request } from "node:http";
import { type SlackEmulator, signSlackRequest } from "../../test/emulators/slack/slack-emulator.js";
import type { AckOptions } from "./args.js";
import type { Check } from "./load.js";
import type { PartSpec } from "./part.js";
import { createDealCheck, dealRequest } from "./requests.js";

export const SIGNING_SECRET = "bench-ack-signing-secret";
const CHANNEL = "C0ACKSALES";

/** The Slack user and team that send request i: users and teams take turns. */
const userOf = (i: number, users: number) => `U0ACK${String((i % users) + 1).padStart(4, "0")}`;
const teamOf = (i: number, teams: number, first: string) =>
  i % teams === 0 ? first : `T0ACK${String(i % teams).padStart(4, "0")}`;

/** One HTTP answer, read to the end. */
interface Answer {
  status: number;
  body: string;
}

/**
 * Posts signed slash-command bodies to one URL over keep-alive connections, `concurrency` at most,
 * as Slack's servers would; each body is signed as it is sent (Slack's signature is timestamped).
 */
function slackSender(url: string, concurrency: number) {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  return (body: string): Promise<Answer> => {
    const timestamp = Math.floor(Date.now() / 1000);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          headers: {
            // Exactly this value: Bolt's HTTPReceiver compares the content type without parameters.
            "content-type": "application/x-www-form-urlencoded",
            "content-length": Buffer.byteLength(body),
            "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            "x-slack-request-timestamp": String(timestamp),
            "x-slack-signature": signSlackRequest(SIGNING_SECRET, timestamp, body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
          );
          res.on("error", reject);
        },
      );
      // Slack gives up after 3 s; a request still unanswered after 10 s is a failure, not a hang.
      req.setTimeout(10_000, () => req.destroy(new Error("no answer within 10 s")));
      req.on("error", reject);
      req.end(body);
    });
  };
}

/**
 * The Slack part: `/deal log <amount> <customer>` as Slack sends it (form-encoded, signed, with a
 * response_url and trigger_id from the emulator), the same bodies to Closer's `/slack/events` and
 * to the bare Bolt app. The Slack emulator, in this process, answers Closer's and Bolt's Web API
 * calls (`auth.test`, `users.info`) and takes response_url posts; it enforces no rate limit here
 * (no `postingLimits`, and acknowledging posts nothing).
 */
export function slackPart(emulator: SlackEmulator, opts: AckOptions): PartSpec {
  // The bot token's own team first; other teams reach the same single-workspace app, as Bolt
  // authorizes every request with the one token.
  const teamId = (i: number) => teamOf(i, opts.teams, emulator.workspace.teamId);
  for (let u = 0; u < opts.users; u++) {
    const id = userOf(u, opts.users);
    emulator.addUser({ id, teamId: teamId(0), name: `rep${u + 1}`, tz: "Europe/Paris", locale: "en-US" });
  }
  const total = opts.warmup + opts.requests;
  // Built before any timing: the same bodies, in the same order, for both apps.
  const responseUrls: string[] = [];
  const bodies = Array.from({ length: total }, (_, i) => {
    const { amount, customer } = dealRequest(i);
    const payload = emulator.commandPayload({
      command: "/deal",
      text: `log ${amount} ${customer}`,
      teamId: teamId(i),
      userId: userOf(i, opts.users),
      channelId: CHANNEL,
    });
    responseUrls.push(payload.response_url ?? "");
    return new URLSearchParams(payload).toString();
  });
  const env = {
    SLACK_BOT_TOKEN: emulator.tokens.bot,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: emulator.apiUrl,
  };
  const deals = createDealCheck();
  let emptyAcks = 0;

  return {
    part: "slack",
    referenceName: "bare Bolt app",
    closerEnv: env,
    referenceScript: "bare/bolt.ts",
    referenceEnv: { ...env, PORT: "0" },
    closerSend(closer) {
      const post = slackSender(`${closer.baseUrl}/slack/events`, opts.concurrency);
      return async (i): Promise<Check> => {
        const answer = await post(bodies[i] ?? "");
        if (answer.status === 404)
          return { ok: false, reason: "HTTP 404: Bolt's answer to a request not acked within 3 s" };
        if (answer.status !== 200) return { ok: false, reason: `HTTP ${answer.status}` };
        if (answer.body === "") {
          emptyAcks += 1;
          const late = emulator.waitForResponse(responseUrls[i] ?? "", 30_000);
          deals.later(
            teamId(i),
            late.then((body) => String(body.text ?? "")),
          );
          return { ok: false, reason: "empty ack after 2.5 s: the answer went to response_url" };
        }
        const text = (JSON.parse(answer.body) as { text?: string }).text ?? "";
        return deals.check(teamId(i), text);
      };
    },
    referenceSend(ready) {
      const post = slackSender(`http://127.0.0.1:${Number(ready.port)}/slack/events`, opts.concurrency);
      return async (i): Promise<Check> => {
        const answer = await post(bodies[i] ?? "");
        if (answer.status !== 200) return { ok: false, reason: `HTTP ${answer.status}` };
        return answer.body === "" ? { ok: true } : { ok: false, reason: `unexpected body ${answer.body}` };
      };
    },
    settle: deals.settle,
    loggedDeals: deals.logged,
    notes: () => {
      const late = deals.late();
      const failed = late.failed.map(([why, n]) => `${n} × ${why}`).join("; ");
      return [
        `Closer acked ${emptyAcks} request(s) empty and answered later through response_url: ${late.answered} of those answers said "Deal #n logged"${failed ? ` (${failed})` : ""}; the emulator got ${emulator.responses().length} response_url post(s) in all`,
      ];
    },
  };
}
