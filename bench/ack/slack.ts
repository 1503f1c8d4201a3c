import { Agent, request } from "node:http";
import { responseUrlIdOf } from "../../test/emulators/slack/app-requests.js";
import {
  type ResponseUrlPost,
  type SlackEmulator,
  signSlackRequest,
} from "../../test/emulators/slack/slack-emulator.js";
import type { AckOptions } from "./args.js";
import type { Check } from "./load.js";
import type { PartSpec } from "./part.js";
import { type Arrival, createAnswerBook, requestKind, slashCommand } from "./requests.js";
import type { Plan } from "./rounds.js";
import { type Scenario, TEAM_SIZE } from "./scenario.js";

export const SIGNING_SECRET = "bench-ack-signing-secret";
const CHANNEL = "C0ACKSALES";
/** What the bare Bolt app answers every command with, in its ack. */
const BARE_REPLY = "acknowledged";
/** After a failed ack (a 404, a reset), how long a response_url post may still come. */
const FAILED_ACK_WAIT_MS = 5000;

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/**
 * Who sends request i. The warm-up, and every request of a `known` scenario: the known users and
 * teams taking turns. The measured requests of a `new` scenario: a user of its own each, in the
 * known teams; of a `new-team` scenario: a user of its own each, `TEAM_SIZE` to a new team.
 */
function sendersOf(s: Scenario, plan: Plan, opts: AckOptions, firstTeam: string) {
  const team = (k: number) => (k % opts.teams === 0 ? firstTeam : `T0ACK${pad(k % opts.teams, 4)}`);
  return (i: number): { userId: string; teamId: string } => {
    const m = i - plan.warmup;
    if (s.users === "known" || m < 0) return { userId: `U0ACK${pad(i % opts.userPool, 4)}`, teamId: team(i) };
    if (s.users === "new") return { userId: `U0NEW${pad(m, 6)}`, teamId: team(m) };
    return { userId: `U0NTM${pad(m, 6)}`, teamId: `T0NTM${pad(Math.floor(m / TEAM_SIZE), 5)}` };
  };
}

/** response_url posts as they arrive at the emulator (its `onResponseUrlPost`), by id, timed on arrival. */
export function createArrivals() {
  const arrived = new Map<string, { at: number; body: Record<string, unknown>; posts: number }>();
  const waiting = new Map<string, (a: { at: number; body: Record<string, unknown> }) => void>();
  return {
    record(post: ResponseUrlPost): void {
      const seen = arrived.get(post.id);
      if (seen) {
        seen.posts += 1;
        return;
      }
      const a = { at: performance.now(), body: post.body, posts: 1 };
      arrived.set(post.id, a);
      waiting.get(post.id)?.(a);
      waiting.delete(post.id);
    },
    /** The first post to response_url `id`, past or future; rejects with `why` after `timeoutMs`. */
    wait(id: string, timeoutMs: number, why: string): Promise<{ at: number; body: Record<string, unknown> }> {
      const seen = arrived.get(id);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(why));
        }, timeoutMs);
        waiting.set(id, (a) => {
          clearTimeout(timer);
          resolve(a);
        });
      });
    },
    /** Posts in all, and posts beyond the first to one response_url. */
    counts(): { posts: number; extra: number } {
      let posts = 0;
      for (const a of arrived.values()) posts += a.posts;
      return { posts, extra: posts - arrived.size };
    },
    has: (id: string) => arrived.has(id),
  };
}

export type Arrivals = ReturnType<typeof createArrivals>;

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
      req.setTimeout(10_000, () => req.destroy(new Error("no HTTP answer within 10 s")));
      req.on("error", reject);
      req.end(body);
    });
  };
}

/** The `text` of a message Slack got as JSON (an ack's body, a response_url post). */
function textOf(body: string | Record<string, unknown>): string {
  try {
    const message = typeof body === "string" ? (JSON.parse(body) as unknown) : body;
    const text = (message as { text?: unknown } | null)?.text;
    return typeof text === "string" ? text : JSON.stringify(message);
  } catch {
    return typeof body === "string" ? body : "";
  }
}

/**
 * The Slack part of one scenario: the scenario's slash command as Slack sends it (form-encoded,
 * signed, with a response_url and trigger_id from the emulator), the same bodies to Closer's
 * `/slack/events` and to the bare Bolt app. The Slack emulator, in this process, answers Closer's
 * and Bolt's Web API calls (`auth.test`, `users.info`) and takes response_url posts (timed by
 * `arrivals` as they arrive); it enforces no rate limit here.
 */
export function slackPart(
  emulator: SlackEmulator,
  arrivals: Arrivals,
  scenario: Scenario,
  plan: Plan,
  opts: AckOptions,
): PartSpec {
  // The bot token's own team first; other teams reach the same single-workspace app, as Bolt
  // authorizes every request with the one token.
  const senderOf = sendersOf(scenario, plan, opts, emulator.workspace.teamId);
  const total = plan.warmup + plan.requests;
  const kinds = Array.from({ length: total }, (_, i) => requestKind(scenario, i, plan.warmup));
  const senders = Array.from({ length: total }, (_, i) => senderOf(i));
  const users = new Map(senders.map((s) => [s.userId, s.teamId]));
  for (const [id, teamId] of users)
    emulator.addUser({ id, teamId, name: id.toLowerCase(), tz: "Europe/Paris", locale: "en-US" });
  // Built before any timing: the same bodies, in the same order, for both apps.
  const responseIds: string[] = [];
  const bodies = senders.map(({ userId, teamId }, i) => {
    const payload = emulator.commandPayload({
      ...slashCommand(kinds[i] ?? scenario.command, i),
      teamId,
      userId,
      channelId: CHANNEL,
    });
    responseIds.push(responseUrlIdOf(payload.response_url ?? ""));
    return new URLSearchParams(payload).toString();
  });
  const env = {
    SLACK_BOT_TOKEN: emulator.tokens.bot,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: emulator.apiUrl,
  };
  const answers = createAnswerBook(plan.warmup);
  const answeredInAck = new Set<string>();
  let emptyAcks = 0;
  const arrival = (i: number, t0: number, timeoutMs: number, why: string): Promise<Arrival> =>
    arrivals
      .wait(responseIds[i] ?? "", timeoutMs, why)
      .then((a) => ({ shown: textOf(a.body), ms: a.at - t0 }));

  return {
    part: "slack",
    referenceName: "bare Bolt app",
    closerEnv: env,
    referenceScript: "bare/bolt.ts",
    referenceEnv: { ...env, PORT: "0", BARE_REPLY },
    closerSend(closer) {
      const post = slackSender(`${closer.baseUrl}/slack/events`, plan.concurrency);
      return async (i): Promise<Check> => {
        const kind = kinds[i] ?? scenario.command;
        const team = senders[i]?.teamId ?? "";
        const t0 = performance.now();
        let answer: Answer;
        try {
          answer = await post(bodies[i] ?? "");
        } catch (error) {
          const why = `no ack (${error instanceof Error ? error.message : String(error)}) and no response_url post`;
          answers.later(i, kind, team, arrival(i, t0, FAILED_ACK_WAIT_MS, why));
          throw error;
        }
        const ms = performance.now() - t0;
        if (answer.status !== 200) {
          const why = `ack HTTP ${answer.status} and no response_url post within ${FAILED_ACK_WAIT_MS / 1000} s`;
          answers.later(i, kind, team, arrival(i, t0, FAILED_ACK_WAIT_MS, why));
          return answer.status === 404
            ? { ok: false, reason: "HTTP 404: Bolt's answer to a request not acked within 3 s" }
            : { ok: false, reason: `HTTP ${answer.status}` };
        }
        if (answer.body === "") {
          if (i >= plan.warmup) emptyAcks += 1;
          const why = `acked empty, and no response_url post within ${opts.answerWaitMs / 1000} s`;
          answers.later(i, kind, team, arrival(i, t0, opts.answerWaitMs, why));
          return { ok: true };
        }
        answeredInAck.add(responseIds[i] ?? "");
        answers.inAck(i, kind, team, { shown: textOf(answer.body), ms });
        return { ok: true };
      };
    },
    referenceSend(ready) {
      const post = slackSender(`http://127.0.0.1:${Number(ready.port)}/slack/events`, plan.concurrency);
      return async (i): Promise<Check> => {
        const answer = await post(bodies[i] ?? "");
        if (answer.status !== 200) return { ok: false, reason: `HTTP ${answer.status}` };
        return textOf(answer.body) === BARE_REPLY
          ? { ok: true }
          : { ok: false, reason: `unexpected body ${answer.body.slice(0, 80)}` };
      };
    },
    answers,
    dealRequests: (n) => kinds.slice(0, n).filter((k) => k === "deal-log").length,
    notes: () => {
      const { posts, extra } = arrivals.counts();
      const afterAck = [...answeredInAck].filter((id) => arrivals.has(id)).length;
      return [
        `Of the measured requests, Closer acked ${emptyAcks} empty (their answers to come through response_url); the emulator got ${posts} response_url post(s) in all (warm-up included)${extra ? `, **${extra} beyond the first to one URL**` : ""}${afterAck ? `, **${afterAck} to requests already answered in their ack**` : ""}`,
      ];
    },
  };
}
