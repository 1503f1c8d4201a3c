import type {
  DiscordEmulator,
  InteractionInput,
  InteractionResult,
} from "../../test/emulators/discord/discord-emulator.js";
import type { AckOptions } from "./args.js";
import type { Check } from "./load.js";
import type { PartSpec } from "./part.js";
import { createDealCheck, dealRequest } from "./requests.js";

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
    userId: userOf(i, opts.users),
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
    for (let u = 0; u < opts.users; u++) {
      emulator.addMember(guildId, {
        id: userOf(u, opts.users),
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

/**
 * The Discord part: INTERACTION_CREATE for `/deal log amount:… customer:…` dispatched by the
 * Discord emulator (in this process) over its gateway, latency up to the interaction callback
 * arriving back at it. Closer and the bare discord.js client each have an emulator of their own
 * (an emulator dispatches to its newest session), both with the same guild, users and requests.
 */
export function discordPart(
  closerEmulator: DiscordEmulator,
  referenceEmulator: DiscordEmulator,
  opts: AckOptions,
): PartSpec {
  populate(closerEmulator, opts);
  populate(referenceEmulator, opts);
  const deals = createDealCheck();
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
      const result = await interact(closerEmulator, interaction(i, opts));
      if (!result) return { ok: false, reason: `no accepted callback within Discord's 3 s` };
      if (result.callback.type === 5) {
        deferred += 1;
        const edit = closerEmulator.waitForInteractionMessage(result.token, "original", 30_000);
        deals.later(
          guildOf(i, opts.teams),
          edit.then((body) => JSON.stringify(body.embeds ?? [])),
        );
        return {
          ok: false,
          reason: "deferred after 2 s (callback type 5): the answer came later as an edit",
        };
      }
      if (result.callback.type !== 4) return { ok: false, reason: `callback type ${result.callback.type}` };
      return deals.check(guildOf(i, opts.teams), shown(result));
    },
    referenceSend: () => async (i) => {
      const result = await interact(referenceEmulator, interaction(i, opts));
      if (!result) return { ok: false, reason: `no accepted callback within Discord's 3 s` };
      const ok = result.callback.type === 4 && result.callback.data?.content === BARE_REPLY;
      return ok ? { ok: true } : ({ ok: false, reason: "unexpected callback" } satisfies Check);
    },
    settle: deals.settle,
    loggedDeals: deals.logged,
    notes: () => {
      const late = deals.late();
      const failed = late.failed.map(([why, n]) => `${n} × ${why}`).join("; ");
      return [
        `Closer deferred ${deferred} interaction(s) and answered later by editing @original: ${late.answered} of those answers said "Deal #n logged"${failed ? ` (${failed})` : ""}`,
      ];
    },
  };
}
