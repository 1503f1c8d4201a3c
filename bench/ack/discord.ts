import type {
  DiscordEmulator,
  InteractionInput,
  InteractionResult,
} from "../../test/emulators/discord/discord-emulator.js";
import type { AckOptions } from "./args.js";
import type { Check } from "./load.js";
import type { PartSpec } from "./part.js";
import { createAnswerBook, dealRequest } from "./requests.js";
import type { Plan } from "./rounds.js";
import type { Scenario } from "./scenario.js";

/** The guild and channel of request i: guilds take turns, one channel each. */
const guildOf = (i: number, teams: number) => String(930000000000000001n + BigInt(i % teams));
const channelOf = (i: number, teams: number) => String(931000000000000001n + BigInt(i % teams));
const BARE_REPLY = "acknowledged";
/** Discord's permission bit Manage Server: the first user is an admin, as a guild owner would be. */
const MANAGE_GUILD = String(0x20);

const userOf = (i: number, users: number) => String(932000000000000001n + BigInt(i % users));

/** Request i: `/deal log amount:… customer:…`, a chat-input interaction from a guild member. */
function interaction(i: number, opts: AckOptions): InteractionInput {
  const { amount, customer } = dealRequest(i);
  return {
    type: 2,
    guildId: guildOf(i, opts.teams),
    channelId: channelOf(i, opts.teams),
    userId: userOf(i, opts.userPool),
    data: {
      name: "deal",
      type: 1,
      options: [
        {
          type: 1,
          name: "log",
          options: [
            { type: 3, name: "amount", value: amount },
            { type: 3, name: "customer", value: customer },
          ],
        },
      ],
    },
  };
}

/** The guilds, their channel and the users in each, in an emulator of its own for each app. */
function populate(emulator: DiscordEmulator, opts: AckOptions): void {
  for (let g = 0; g < opts.teams; g++) {
    const guildId = guildOf(g, opts.teams);
    emulator.addGuild({
      id: guildId,
      name: `Ack Sales ${g + 1}`,
      preferredLocale: "en-US",
      channels: [{ id: channelOf(g, opts.teams), name: "sales" }],
    });
    for (let u = 0; u < opts.userPool; u++) {
      emulator.addMember(guildId, {
        id: userOf(u, opts.userPool),
        username: `rep${u + 1}`,
        permissions: u === 0 ? MANAGE_GUILD : "0",
      });
    }
  }
}

/**
 * Discord gives an interaction 3 s for its callback; the emulator refuses later ones, so waiting
 * longer than that for one would only stall a worker.
 */
const CALLBACK_WAIT_MS = 5000;

/**
 * Dispatches request i on the emulator's gateway and resolves with the callback once it arrived at
 * the emulator; a callback that never comes (or came too late and was refused) is one failure.
 */
async function interact(
  emulator: DiscordEmulator,
  input: InteractionInput,
): Promise<InteractionResult | undefined> {
  try {
    return await emulator.interact(input, CALLBACK_WAIT_MS);
  } catch {
    return undefined;
  }
}

/** The scenarios the Discord part runs: `/deal log` from known users on PostgreSQL. */
export const discordRuns = (s: Scenario) =>
  s.command === "deal-log" && s.backend === "postgres" && s.users === "known";

/**
 * The Discord part of a scenario: INTERACTION_CREATE for `/deal log amount:… customer:…` dispatched
 * by the Discord emulator (in this process) over its gateway, latency up to the interaction callback
 * arriving back at it. Closer and the bare discord.js client each have an emulator of their own
 * (an emulator dispatches to its newest session), both with the same guild, users and requests.
 * A deferral (callback type 5) is an acknowledgement; its answer is the edit of @original, timed
 * when the emulator hands it over (waited for from the deferral on, so about when it arrives).
 */
export function discordPart(
  closerEmulator: DiscordEmulator,
  referenceEmulator: DiscordEmulator,
  _scenario: Scenario,
  plan: Plan,
  opts: AckOptions,
): PartSpec {
  populate(closerEmulator, opts);
  populate(referenceEmulator, opts);
  const answers = createAnswerBook(plan.warmup);
  let deferred = 0;
  const shown = (result: InteractionResult) => JSON.stringify(result.callback.data?.embeds ?? []);

  return {
    part: "discord",
    referenceName: "bare discord.js client",
    closerEnv: {
      DISCORD_TOKEN: closerEmulator.token,
      DISCORD_APPLICATION_ID: closerEmulator.applicationId,
      DISCORD_API_URL: closerEmulator.apiUrl,
    },
    referenceScript: "bare/discord-js.ts",
    referenceEnv: {
      DISCORD_TOKEN: referenceEmulator.token,
      DISCORD_API_URL: referenceEmulator.apiUrl,
      BARE_REPLY,
    },
    closerConnected: () => closerEmulator.connected(30_000),
    referenceConnected: () => referenceEmulator.connected(30_000),
    closerSend: () => async (i) => {
      const guild = guildOf(i, opts.teams);
      const t0 = performance.now();
      const result = await interact(closerEmulator, interaction(i, opts));
      if (!result) {
        answers.lost(i, "no accepted callback within Discord's 3 s");
        return { ok: false, reason: "no accepted callback within Discord's 3 s" };
      }
      if (result.callback.type === 5) {
        if (i >= plan.warmup) deferred += 1;
        const edit = closerEmulator.waitForInteractionMessage(result.token, "original", opts.answerWaitMs);
        answers.later(
          i,
          "deal-log",
          guild,
          edit.then((body) => ({ shown: JSON.stringify(body.embeds ?? []), ms: performance.now() - t0 })),
        );
        return { ok: true };
      }
      if (result.callback.type !== 4) {
        answers.lost(i, `callback type ${result.callback.type}`);
        return { ok: false, reason: `callback type ${result.callback.type}` };
      }
      answers.inAck(i, "deal-log", guild, { shown: shown(result), ms: performance.now() - t0 });
      return { ok: true };
    },
    referenceSend: () => async (i) => {
      const result = await interact(referenceEmulator, interaction(i, opts));
      if (!result) return { ok: false, reason: `no accepted callback within Discord's 3 s` };
      const ok = result.callback.type === 4 && result.callback.data?.content === BARE_REPLY;
      return ok ? { ok: true } : ({ ok: false, reason: "unexpected callback" } satisfies Check);
    },
    answers,
    dealRequests: (n) => n,
    notes: () => [
      `Of the measured interactions, Closer deferred ${deferred} (callback type 5) and answered them by editing @original`,
    ],
  };
}
