import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_TIMEOUTS, type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import {
  type DiscordEmulator,
  type InteractionInput,
  startDiscordEmulator,
} from "../emulators/discord/discord-emulator.js";
import {
  type AppResponse,
  type SlackEmulator,
  startSlackEmulator,
} from "../emulators/slack/slack-emulator.js";
import { chatInput, shown } from "../platforms/discord/support.js";
import { SIGNING_SECRET, textOf } from "../platforms/slack/support.js";
import { type CloserProcess, listeningPort, startCloser } from "../support/closer-process.js";
import { type EmptyDatabase, openEmptyDatabase, openMigratedDatabase } from "../support/db.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

/*
 * Closer between Slack, Discord and a PostgreSQL that stops or hangs (a TCP proxy in front of it):
 * every user is still answered, in their language, that nothing was saved; /readyz says the database is
 * down within a second; once the database is back the same process serves again, and the database
 * holds exactly the deals users were told were logged.
 */

const BASE_URL = process.env.TEST_DATABASE_URL;

const NOTHING_SAVED = "Something went wrong; nothing was saved.";
const NOTHING_SAVED_FR = "Une erreur est survenue\u202f; rien n’a été enregistré.";
/** Slack shows an error for an acknowledgement later than this; DESIGN asks the same of the answer when the database refuses at once. */
const SLACK_ACK_MS = 3000;
/**
 * A hung database is only noticed when the client's timeouts pass: a statement's, then the
 * ROLLBACK queued behind it when it hung inside a transaction.
 */
const HUNG_ANSWER_MS = 2 * DATABASE_TIMEOUTS.queryMs + 3000;
/** Kubernetes' probes give up after 1 s by default. */
const PROBE_MS = 1000;

const ALICE = "U0ALICE";
const BOB = "U0BOB";

/** `url` with its host and port replaced by the proxy's. */
function through(proxy: TcpProxy, url: string): string {
  const via = new URL(url);
  via.hostname = "127.0.0.1";
  via.port = String(proxy.port);
  return via.toString();
}

/** Rejects naming `what` when `work` has not settled within `ms` (a test fails instead of hanging). */
function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

interface Answer {
  /** Slack: the request got HTTP 200; Discord: the interaction got a callback (a reply or a deferral). */
  acknowledged: boolean;
  /** From sending the request to its acknowledgement. */
  ackMs: number;
  /** What the user sees: the acknowledgement's text, else what followed it (response_url, the edited reply). */
  text: string;
  /** From sending the request to that text. */
  ms: number;
}

/** No answer at all (no acknowledgement in time): why, in place of the text. */
const unanswered = (error: Error): Answer => ({
  acknowledged: false,
  ackMs: Number.NaN,
  text: error.message,
  ms: Number.NaN,
});

/** What one user tries while the database is out, and the sentence they must get back. */
interface Attempt {
  name: string;
  expected: string;
  /** Tries it, naming any deal after `phase`; resolves with the answer or what stood in its way. */
  send(phase: string, deadlineMs: number): Promise<Answer>;
}

const GUILD = "900000000000000401";
const GUILD_FR = "900000000000000402";
const CHANNEL = "910000000000000401";
const CHANNEL_FR = "910000000000000402";
const ADA = "920000000000000401";
const ZOE = "920000000000000402";

describe.runIf(BASE_URL)("GIVEN Closer with Slack and Discord, and its PostgreSQL going away", () => {
  let database: EmptyDatabase;
  let proxy: TcpProxy;
  let slack: SlackEmulator;
  let discord: DiscordEmulator;
  let closer: CloserProcess;
  let port: number;
  /** Customers of the deals users were told were logged. */
  const logged: string[] = [];

  beforeAll(async () => {
    database = await openEmptyDatabase();
    const direct = new URL(database.url ?? "");
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    slack = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
    const teamId = slack.workspace.teamId;
    slack.addUser({ id: ALICE, teamId, name: "alice", tz: "Europe/Paris", locale: "en-US", isAdmin: true });
    slack.addUser({ id: BOB, teamId, name: "bob", tz: "Europe/Paris", locale: "fr-FR" });
    discord = await startDiscordEmulator();
    discord.addGuild({ id: GUILD, name: "Outage", channels: [{ id: CHANNEL, name: "sales" }] });
    discord.addGuild({
      id: GUILD_FR,
      name: "Panne",
      preferredLocale: "fr",
      channels: [{ id: CHANNEL_FR, name: "ventes" }],
    });
    discord.addMember(GUILD, { id: ADA, username: "ada", permissions: "32" });
    discord.addMember(GUILD_FR, { id: ZOE, username: "zoe", permissions: "32" });
    closer = startCloser(["start"], {
      DATABASE_URL: through(proxy, database.url ?? ""),
      SLACK_BOT_TOKEN: slack.tokens.bot,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      PORT: "0",
      LOG_LEVEL: "info",
    });
    port = await listeningPort(closer);
    await closer.logLine(/"msg":"closer ready"/);
    await discord.connected();
  }, 60_000);

  afterAll(async () => {
    await closer?.stop();
    await slack?.close();
    await discord?.close();
    await proxy?.close();
    await database?.close();
  });

  /** Sends a request as Slack would and waits, up to `deadlineMs` from sending, for what the user sees. */
  async function slackAnswer(send: (appUrl: string) => Promise<AppResponse>, deadlineMs: number) {
    const started = performance.now();
    const res = await within(send(`http://127.0.0.1:${port}/slack/events`), deadlineMs, "acknowledgement");
    const ackMs = performance.now() - started;
    let text = textOf(res.json);
    if (text === "" && res.responseUrlId !== undefined) {
      const left = Math.max(1, deadlineMs - (performance.now() - started));
      text = await slack
        .waitForResponse(res.responseUrlId, left)
        .then(textOf, (error: Error) => error.message);
    }
    return { acknowledged: res.status === 200, ackMs, text, ms: performance.now() - started };
  }

  const slashCommand = (line: string, userId: string, deadlineMs: number) => {
    const [name = "", ...words] = line.split(" ");
    const cmd = {
      command: name,
      text: words.join(" "),
      teamId: slack.workspace.teamId,
      userId,
      channelId: "C0SALES",
    };
    return slackAnswer((appUrl) => slack.sendCommand(appUrl, cmd), deadlineMs);
  };

  const slackButton = (value: string, userId: string, deadlineMs: number) =>
    slackAnswer(
      (appUrl) =>
        slack.sendInteraction(appUrl, {
          type: "block_actions",
          team: { id: slack.workspace.teamId },
          user: { id: userId, team_id: slack.workspace.teamId },
          channel: { id: "C0SALES" },
          container: { type: "message", channel_id: "C0SALES" },
          actions: [{ type: "button", action_id: "deal.won", value, action_ts: `${Date.now()}.${userId}` }],
        }),
      deadlineMs,
    );

  /** An interaction through the gateway, and what the user sees: the reply, or the deferred one once edited. */
  async function discordAnswer(input: InteractionInput, deadlineMs: number): Promise<Answer> {
    const started = performance.now();
    const { token, callback } = await discord.interact(input, deadlineMs);
    const ackMs = performance.now() - started;
    let text = shown(callback.data);
    if (text === "") {
      const left = Math.max(1, deadlineMs - (performance.now() - started));
      text = await discord
        .waitForInteractionMessage(token, "original", left)
        .then(shown, (error: Error) => error.message);
    }
    return { acknowledged: callback.type !== 0, ackMs, text, ms: performance.now() - started };
  }

  const dealLog = (guildId: string, channelId: string, userId: string, amount: string, customer: string) => ({
    type: 2 as const,
    guildId,
    channelId,
    userId,
    data: chatInput("deal", "log", { amount, customer }),
  });

  const ATTEMPTS: Attempt[] = [
    {
      name: "a Slack slash command",
      expected: NOTHING_SAVED,
      send: (phase, ms) => slashCommand(`/deal log 5k ${phase} Corp`, ALICE, ms),
    },
    {
      name: "a Slack slash command from a French-speaking user",
      expected: NOTHING_SAVED_FR,
      send: (phase, ms) => slashCommand(`/deal log 3k ${phase} SA`, BOB, ms),
    },
    {
      name: "a Slack button (through its response_url)",
      expected: NOTHING_SAVED,
      send: (_, ms) => slackButton("/deal won #1", ALICE, ms),
    },
    {
      name: "a Discord slash command",
      expected: NOTHING_SAVED,
      send: (phase, ms) => discordAnswer(dealLog(GUILD, CHANNEL, ADA, "4k", `${phase} Guild Co`), ms),
    },
    {
      name: "a Discord slash command in a French guild",
      expected: NOTHING_SAVED_FR,
      send: (phase, ms) => discordAnswer(dealLog(GUILD_FR, CHANNEL_FR, ZOE, "2k", `${phase} Guilde SA`), ms),
    },
    {
      name: "a Discord button",
      expected: NOTHING_SAVED,
      send: (_, ms) =>
        discordAnswer(
          {
            type: 3,
            guildId: GUILD,
            channelId: CHANNEL,
            userId: ADA,
            data: { custom_id: "run:/deal won #1", component_type: 2 },
            message: { id: "930000000000000401", content: "", embeds: [], components: [] },
          },
          ms,
        ),
    },
  ];

  async function readiness(path = "/readyz") {
    const started = performance.now();
    const res = await within(fetch(`http://127.0.0.1:${port}${path}`), 5000, `${path} answer`);
    return { status: res.status, body: (await res.json()) as unknown, ms: performance.now() - started };
  }

  /** The database answers again: the same process is ready, and logs a deal on each platform. */
  async function expectRecovered(phase: string) {
    await proxy.resume();
    await expect
      .poll(async () => (await readiness()).status, { timeout: HUNG_ANSWER_MS, interval: 100 })
      .toBe(200);
    const onSlack = await slashCommand(`/deal log 5k Acme ${phase}`, ALICE, HUNG_ANSWER_MS);
    expect(onSlack.text).toMatch(/Deal #\d+ logged/);
    logged.push(`Acme ${phase}`);
    const onDiscord = await discordAnswer(
      dealLog(GUILD, CHANNEL, ADA, "6k", `Globex ${phase}`),
      HUNG_ANSWER_MS,
    );
    expect(onDiscord.text).toMatch(/Deal #\d+ logged/);
    logged.push(`Globex ${phase}`);
  }

  describe.each([
    [
      "stopped (connections refused)",
      { phase: "Stopped", deadlineMs: SLACK_ACK_MS, begin: () => proxy.stop() },
    ],
    [
      "hung (connections open, no byte answered)",
      { phase: "Hung", deadlineMs: HUNG_ANSWER_MS, begin: async () => proxy.hang() },
    ],
  ] as const)("GIVEN the database %s", (_, { phase, deadlineMs, begin }) => {
    // Tried at once and awaited by each test: a hung database makes each wait out the same timeouts.
    let answers: Promise<Answer>[] = [];
    beforeAll(async () => {
      await begin();
      // Settled here, so that one left unanswered fails its own test rather than the run.
      answers = ATTEMPTS.map((attempt) => attempt.send(phase, deadlineMs).catch(unanswered));
    });

    it.each(["/readyz", "/healthz"])(
      "THEN %s answers 503 within a second, naming the database",
      async (path) => {
        const ready = await readiness(path);
        expect(ready.ms).toBeLessThan(PROBE_MS);
        expect(ready.status).toBe(503);
        expect(ready.body).toMatchObject({ status: "unavailable", down: ["database"] });
      },
    );

    it.each(ATTEMPTS.map((attempt, i) => [attempt.name, i] as const))(
      `THEN %s is acknowledged in time, and answered that nothing was saved in its language within ${deadlineMs} ms`,
      async (_name, i) => {
        const answer = await answers[i];
        expect(answer?.acknowledged).toBe(true);
        expect(answer?.ackMs).toBeLessThan(SLACK_ACK_MS);
        expect(answer?.text).toContain(ATTEMPTS[i]?.expected);
        expect(answer?.ms).toBeLessThan(deadlineMs);
      },
    );

    it("GIVEN the database back THEN the same process is ready again and logs a deal on each platform", async () => {
      await Promise.allSettled(answers);
      await expectRecovered(phase);
    });
  });

  it("GIVEN both outages over THEN the database holds exactly the deals users were told were logged", async () => {
    const deals = await database.db.prisma.deal.findMany({
      include: { customer: true },
      orderBy: { id: "asc" },
    });
    expect(deals.map((d) => d.customer.name).sort()).toEqual([...logged].sort());
    expect(closer.child.exitCode).toBeNull();
  });
});

describe.runIf(BASE_URL)("GIVEN the database down when Closer starts", () => {
  const PASSWORD = "pw-never-printed";

  it.each(["stopped", "hung"] as const)(
    "GIVEN it %s THEN closer exits 1 with one line naming the database, without a stack trace or the password",
    async (outage) => {
      const server = new URL(BASE_URL ?? "");
      const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
      if (outage === "stopped") await proxy.stop();
      else proxy.hang();
      const url = `postgres://closer:${PASSWORD}@127.0.0.1:${proxy.port}/closer_absent?sslmode=disable`;
      const closer = startCloser(["start"], {
        DATABASE_URL: url,
        SLACK_BOT_TOKEN: "xoxb-never-used",
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        PORT: "0",
      });
      let stdout = "";
      closer.child.stdout?.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
      });
      try {
        const exited = new Promise<number | null>((resolve) => closer.child.once("exit", resolve));
        expect(await within(exited, 20_000, "exit")).toBe(1);
        const output = `${stdout}${closer.logs()}`;
        const lines = output.split("\n").filter((line) => line.trim() !== "");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
          /^closer: database unreachable at postgres:\/\/closer@127\.0\.0\.1:\d+\/closer_absent \(.+\)$/,
        );
        expect(output).not.toContain(PASSWORD);
      } finally {
        await closer.stop();
        await proxy.close();
      }
    },
  );
});

describe.runIf(BASE_URL)("GIVEN Closer's connections to PostgreSQL", () => {
  let empty: EmptyDatabase;
  let proxy: TcpProxy;
  let db: Database;
  /** Short timeouts, so the test waits them out quickly; the rules are the same. */
  const short = {
    acquireMs: 300,
    statementMs: 400,
    queryMs: 600,
    transactionMaxWaitMs: 500,
    transactionMs: 3000,
  };

  beforeAll(async () => {
    empty = await openMigratedDatabase();
    await migrate(empty.db.sql);
    const direct = new URL(empty.url ?? "");
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    db = await openDatabase(through(proxy, empty.url ?? ""), short);
  });

  afterAll(async () => {
    await db?.close();
    await proxy?.close();
    await empty?.close();
  });

  it("GIVEN the default timeouts THEN commands' statements have a statement timeout, migrations none", async () => {
    const defaults = await openDatabase(empty.url);
    try {
      expect(await defaults.prisma.$queryRaw`SHOW statement_timeout`).toEqual([{ statement_timeout: "5s" }]);
      expect(await defaults.sql.query("SHOW statement_timeout")).toEqual([{ statement_timeout: "0" }]);
      await defaults.sql.withLock(async (conn) => {
        expect(await conn.query("SHOW statement_timeout")).toEqual([{ statement_timeout: "0" }]);
      });
    } finally {
      await defaults.close();
    }
  });

  it("GIVEN a statement that runs past the statement timeout THEN PostgreSQL cancels it", async () => {
    const started = performance.now();
    await expect(db.prisma.$queryRaw`SELECT 1 AS slept FROM pg_sleep(5)`).rejects.toThrow(
      /statement timeout/,
    );
    expect(performance.now() - started).toBeLessThan(short.queryMs);
  });

  it("GIVEN the database hangs inside a transaction THEN it fails within the timeouts, and once back nothing of it is saved", async () => {
    const expiresAt = new Date("2100-01-01T00:00:00Z");
    const started = performance.now();
    const abandoned = db.prisma.$transaction(async (tx) => {
      await tx.processedRequest.create({ data: { key: "abandoned-1", expiresAt } });
      proxy.hang();
      await tx.processedRequest.create({ data: { key: "abandoned-2", expiresAt } });
    });
    await expect(abandoned).rejects.toThrow();
    // The statement's query timeout, then its ROLLBACK's, queued behind it.
    expect(performance.now() - started).toBeLessThan(2 * short.queryMs + 500);
    await proxy.resume();
    // The pool hands out its most recently released connection first: the abandoned one, were it kept.
    for (const key of ["next-1", "next-2"]) {
      await db.prisma.$transaction(async (tx) => {
        await tx.processedRequest.create({ data: { key, expiresAt } });
      });
    }
    const keys = await empty.db.prisma.processedRequest.findMany({ orderBy: { key: "asc" } });
    expect(keys.map((k) => k.key)).toEqual(["next-1", "next-2"]);
  });
});
