import { once } from "node:events";
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  REST,
  Routes,
  type TextChannel,
  TextInputBuilder,
  TextInputStyle,
} from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discordCode } from "./discord-code.js";
import { type DiscordEmulator, startDiscordEmulator } from "./discord-emulator.js";

const guildId = "1200000000000000001";
const salesChannelId = "1200000000000000010";
const aliceId = "1200000000000000100";
const bobId = "1200000000000000200";
const callbackPath = /^\/interactions\/[^/]+\/[^/]+\/callback$/;

const dealCommand = {
  name: "deal",
  description: "Log a deal",
  options: [
    { type: 3, name: "customer", description: "Customer", required: true, autocomplete: true },
    { type: 4, name: "amount", description: "Amount", required: true },
  ],
};

describe("Discord emulator with the real discord.js Client", () => {
  let emulator: DiscordEmulator;
  let client: Client;
  let skewMs = 0;
  const seen: Interaction[] = [];

  /** Runs `handler` on the next interaction the client receives; rejects with the handler's error. */
  function onNextInteraction(handler: (i: Interaction) => Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      client.once(Events.InteractionCreate, (i) => {
        handler(i).then(resolve, reject);
      });
    });
  }

  beforeAll(async () => {
    emulator = await startDiscordEmulator({ heartbeatIntervalMs: 300, now: () => Date.now() + skewMs });
    emulator.addGuild({
      id: guildId,
      name: "Closer Sales",
      preferredLocale: "fr",
      ownerId: bobId,
      channels: [{ id: salesChannelId, name: "sales" }],
    });
    emulator.addMember(guildId, {
      id: aliceId,
      username: "alice",
      globalName: "Alice Martin",
      nick: "Alice (EMEA)",
      permissions: String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages),
      locale: "fr",
    });
    emulator.addMember(guildId, { id: bobId, username: "bob", acceptsDms: false });
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emulator.apiUrl } });
    client.on(Events.InteractionCreate, (i) => seen.push(i));
    const available = once(client, Events.GuildAvailable);
    const ready = once(client, Events.ClientReady);
    await client.login(emulator.token);
    await Promise.all([ready, available, emulator.connected()]);
  });
  afterAll(async () => {
    await client?.destroy();
    await emulator?.close();
  });

  it("GIVEN the token THEN the client discovers the gateway, IDENTIFYs with its intents and gets READY + GUILD_CREATE", async () => {
    expect(emulator.requests.find((c) => c.path === "/gateway/bot")?.headers.authorization).toBe(
      `Bot ${emulator.token}`,
    );
    const identify = await emulator.waitForGatewayEvent(2);
    expect(identify.d).toMatchObject({
      token: emulator.token,
      intents: GatewayIntentBits.Guilds,
      shard: [0, 1],
    });
    expect(client.user?.id).toBe(emulator.botUserId);
    expect(client.application?.id).toBe(emulator.applicationId);
    const guild = client.guilds.cache.get(guildId);
    expect(guild?.name).toBe("Closer Sales");
    expect(guild?.preferredLocale).toBe("fr");
    expect(guild?.channels.cache.get(salesChannelId)?.name).toBe("sales");
  });

  it("GIVEN a heartbeat THEN the gateway acknowledges it", async () => {
    const acked = new Promise<void>((resolve) => {
      const onDebug = (message: string) => {
        if (!message.includes("Heartbeat acknowledged")) return;
        client.off(Events.Debug, onDebug);
        resolve();
      };
      client.on(Events.Debug, onDebug);
    });
    await emulator.waitForGatewayEvent(1);
    await acked;
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it("GIVEN a guild added while connected THEN the client emits guildCreate", async () => {
    const created = once(client, Events.GuildCreate);
    emulator.addGuild({
      id: "1300000000000000001",
      name: "Second",
      channels: [{ id: "1300000000000000010", name: "general" }],
    });
    const [guild] = await created;
    expect(guild.name).toBe("Second");
  });

  it("GIVEN a slash command THEN options, member and locales parse AND reply reaches the callback", async () => {
    const raw = new Promise<Record<string, unknown>>((resolve) => {
      const onRaw = (packet: { t?: string; d?: Record<string, unknown> }) => {
        if (packet.t !== "INTERACTION_CREATE" || !packet.d) return;
        client.off(Events.Raw, onRaw);
        resolve(packet.d);
      };
      client.on(Events.Raw, onRaw);
    });
    const handled = onNextInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error(`expected a chat input command, got type ${i.type}`);
      expect(i.options.getString("customer")).toBe("Acme");
      expect(i.options.getInteger("amount")).toBe(1200);
      expect(i.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
      expect(i.inCachedGuild() && i.member.nickname).toBe("Alice (EMEA)");
      expect(i.user.globalName).toBe("Alice Martin");
      expect([i.locale, i.guildLocale, i.channelId]).toEqual(["fr", "fr", salesChannelId]);
      await i.reply({ content: "Deal logged: Acme, 1 200 €", flags: MessageFlags.Ephemeral });
    });
    const [result] = await Promise.all([
      emulator.interact({
        type: 2,
        guildId,
        userId: aliceId,
        data: {
          name: "deal",
          options: [
            { name: "customer", type: 3, value: "Acme" },
            { name: "amount", type: 4, value: 1200 },
          ],
        },
      }),
      handled,
    ]);
    expect(result.callback).toEqual({
      type: 4,
      data: expect.objectContaining({ content: "Deal logged: Acme, 1 200 €", flags: 64 }),
    });
    expect(emulator.interactionMessages(result.token).map((m) => m.kind)).toEqual(["callback"]);
    const payload = await raw;
    expect(payload).toMatchObject({
      id: result.id,
      token: result.token,
      application_id: emulator.applicationId,
      type: 2,
      version: 1,
      guild_id: guildId,
      channel: { id: salesChannelId, type: 0 },
      member: { user: { id: aliceId, username: "alice", global_name: "Alice Martin" }, nick: "Alice (EMEA)" },
      locale: "fr",
      guild_locale: "fr",
      entitlements: [],
      data: { name: "deal", type: 1 },
    });
    expect(payload).not.toHaveProperty("user");
    expect(typeof (payload.member as { permissions: unknown }).permissions).toBe("string");
    expect(typeof payload.app_permissions).toBe("string");
    const callback = await emulator.waitForRequest("POST", callbackPath, (c) => c.path.includes(result.id));
    expect(callback.headers.authorization).toBeUndefined();
  });

  it("GIVEN deferReply THEN editReply edits @original, followUp posts, and a second callback gets 40060", async () => {
    const handled = onNextInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error("expected a chat input command");
      await i.deferReply();
      const edited = await i.editReply("KPIs for June: 12 deals");
      const followUp = await i.followUp({ content: "Details sent by DM", flags: MessageFlags.Ephemeral });
      expect(followUp.id).not.toBe(edited.id);
      const again = i.client.rest.post(Routes.interactionCallback(i.id, i.token), {
        body: { type: 4, data: { content: "again" } },
        auth: false,
      });
      expect(await discordCode(again)).toBe(40060);
    });
    const [result] = await Promise.all([
      emulator.interact({ type: 2, guildId, userId: aliceId, data: { name: "kpis" } }),
      handled,
    ]);
    expect(result.callback.type).toBe(5);
    expect(await emulator.waitForInteractionMessage(result.token, "original")).toMatchObject({
      content: "KPIs for June: 12 deals",
    });
    expect(emulator.interactionMessages(result.token).map((m) => m.kind)).toEqual([
      "callback",
      "original",
      "followup",
    ]);
  });

  it("GIVEN an ephemeral deferReply THEN the first followUp fills the thinking message and stays ephemeral", async () => {
    const handled = onNextInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error("expected a chat input command");
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      const first = await i.followUp("Here are your deals");
      const reply = await i.fetchReply();
      expect(first.id).toBe(reply.id);
      expect(first.flags.has(MessageFlags.Ephemeral)).toBe(true);
      expect((await i.followUp("And one more")).id).not.toBe(reply.id);
    });
    await Promise.all([
      emulator.interact({ type: 2, guildId, userId: aliceId, data: { name: "deals" } }),
      handled,
    ]);
  });

  it("GIVEN a button on a message THEN update() answers with UPDATE_MESSAGE", async () => {
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId("deal:won:42").setLabel("Won").setStyle(ButtonStyle.Success),
    );
    const handled = onNextInteraction(async (i) => {
      if (!i.isButton()) throw new Error("expected a button");
      expect(i.customId).toBe("deal:won:42");
      expect(i.message.content).toBe("Deal 42: Acme");
      await i.update({ content: "Deal 42: Acme — won", components: [] });
    });
    const [result] = await Promise.all([
      emulator.interact({
        type: 3,
        guildId,
        userId: aliceId,
        data: { custom_id: "deal:won:42", component_type: 2 },
        message: { content: "Deal 42: Acme", components: [row.toJSON()] },
      }),
      handled,
    ]);
    expect(result.callback).toEqual({
      type: 7,
      data: expect.objectContaining({ content: "Deal 42: Acme — won", components: [] }),
    });
  });

  it("GIVEN an autocomplete THEN respond() sends the choices", async () => {
    const handled = onNextInteraction(async (i) => {
      if (!i.isAutocomplete()) throw new Error("expected an autocomplete");
      expect(i.options.getFocused()).toBe("Ac");
      await i.respond([{ name: "Acme Corp", value: "acme" }]);
    });
    const [result] = await Promise.all([
      emulator.interact({
        type: 4,
        guildId,
        userId: aliceId,
        data: { name: "deal", options: [{ name: "customer", type: 3, value: "Ac", focused: true }] },
      }),
      handled,
    ]);
    expect(result.callback).toEqual({ type: 8, data: { choices: [{ name: "Acme Corp", value: "acme" }] } });
  });

  it("GIVEN a command THEN showModal() answers with MODAL", async () => {
    const handled = onNextInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error("expected a chat input command");
      const amount = new TextInputBuilder().setCustomId("amount").setStyle(TextInputStyle.Short);
      await i.showModal(
        new ModalBuilder()
          .setCustomId("deal-modal")
          .setTitle("Log a deal")
          .addLabelComponents(new LabelBuilder().setLabel("Amount").setTextInputComponent(amount)),
      );
    });
    const [result] = await Promise.all([
      emulator.interact({ type: 2, guildId, userId: aliceId, data: { name: "deal-form" } }),
      handled,
    ]);
    expect(result.callback).toMatchObject({
      type: 9,
      data: { custom_id: "deal-modal", title: "Log a deal" },
    });
  });

  it("GIVEN a modal submit THEN fields parse and reply works", async () => {
    const handled = onNextInteraction(async (i) => {
      if (!i.isModalSubmit()) throw new Error("expected a modal submit");
      expect(i.fields.getTextInputValue("amount")).toBe("1200");
      const response = await i.reply({ content: "Saved", withResponse: true });
      expect(response.resource?.message?.content).toBe("Saved");
      expect(response.interaction.responseMessageId).toBe(response.resource?.message?.id);
    });
    const [result] = await Promise.all([
      emulator.interact({
        type: 5,
        guildId,
        userId: aliceId,
        data: {
          custom_id: "deal-modal",
          components: [
            { type: 18, id: 1, component: { type: 4, id: 2, custom_id: "amount", value: "1200" } },
          ],
        },
      }),
      handled,
    ]);
    expect(result.callback).toMatchObject({ type: 4, data: { content: "Saved" } });
  });

  it("GIVEN a 429 on the callback THEN @discordjs/rest waits Retry-After and retries once", async () => {
    emulator.failNext("POST", callbackPath, { status: 429, retryAfter: 0.2 });
    const handled = onNextInteraction(async (i) => {
      if (i.isChatInputCommand()) await i.reply("after the rate limit");
    });
    const [result] = await Promise.all([
      emulator.interact({ type: 2, guildId, userId: aliceId, data: { name: "deal" } }),
      handled,
    ]);
    const calls = emulator.requests.filter(
      (c) => c.method === "POST" && c.path.includes(`/interactions/${result.id}/`),
    );
    expect(calls.map((c) => c.status)).toEqual([429, 204]);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(200);
  });

  it("GIVEN a reply after Discord's 3 s deadline THEN it fails with 10062 Unknown interaction", async () => {
    const handled = onNextInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error("expected a chat input command");
      skewMs += 3001;
      expect(await discordCode(i.reply("too late"))).toBe(10062);
    });
    // No callback is ever accepted, so interact() only settles when the emulator closes.
    emulator.interact({ type: 2, guildId, userId: aliceId, data: { name: "slow" } }).catch(() => undefined);
    await handled;
  });

  it("GIVEN op 7 RECONNECT THEN the client RESUMEs AND an interaction dispatched meanwhile arrives once", async () => {
    const identifies = emulator.gatewayEvents.filter((e) => e.op === 2).length;
    const packets: { t?: string; s?: number }[] = [];
    const record = (packet: { t?: string; s?: number }) => packets.push({ t: packet.t, s: packet.s });
    client.on(Events.Raw, record);
    const resumed = emulator.requestReconnect();
    const handled = onNextInteraction(async (i) => {
      if (i.isChatInputCommand()) await i.reply("still here");
    });
    const [result] = await Promise.all([
      emulator.interact({ type: 2, guildId, userId: aliceId, data: { name: "deal" } }),
      handled,
      resumed,
    ]);
    client.off(Events.Raw, record);
    expect(seen.filter((i) => i.id === result.id)).toHaveLength(1);
    expect(emulator.gatewayEvents.filter((e) => e.op === 2)).toHaveLength(identifies);
    // Replayed after the RESUME (whose seq predates it), then RESUMED with the next sequence number.
    const [interaction, resumedPacket] = packets;
    expect([interaction?.t, resumedPacket?.t]).toEqual(["INTERACTION_CREATE", "RESUMED"]);
    expect(resumedPacket?.s).toBe((interaction?.s ?? 0) + 1);
    const resume = await emulator.waitForGatewayEvent(6);
    expect(resume.d).toMatchObject({ token: emulator.token, seq: (interaction?.s ?? 0) - 1 });
  });

  it("GIVEN enforce_nonce THEN sending the same nonce twice returns the first message", async () => {
    const channel = client.channels.cache.get(salesChannelId) as TextChannel;
    const first = await channel.send({
      content: "Weekly digest",
      nonce: "digest-2024-w23",
      enforceNonce: true,
    });
    const second = await channel.send({
      content: "Weekly digest",
      nonce: "digest-2024-w23",
      enforceNonce: true,
    });
    const unenforced = await channel.send({ content: "Weekly digest", nonce: "digest-2024-w23" });
    expect(second.id).toBe(first.id);
    expect(unenforced.id).not.toBe(first.id);
    expect(emulator.channelMessages(salesChannelId).map((m) => m.id)).toEqual([first.id, unenforced.id]);
  });

  it("GIVEN a file THEN the multipart upload is parsed into payload_json and file metadata", async () => {
    const channel = client.channels.cache.get(salesChannelId) as TextChannel;
    const sent = await channel.send({
      content: "June export",
      files: [{ attachment: Buffer.from("customer,amount\nAcme,1200\n"), name: "deals.csv" }],
    });
    const call = await emulator.waitForRequest(
      "POST",
      /^\/channels\/\d+\/messages$/,
      (c) => c.files.length > 0,
    );
    expect(call.body).toMatchObject({
      content: "June export",
      attachments: [{ id: "0" }],
    });
    expect(call.files).toEqual([
      expect.objectContaining({ field: "files[0]", filename: "deals.csv", size: 26 }),
    ]);
    expect(sent.attachments.first()?.name).toBe("deals.csv");
    const [received] = emulator.channelFiles(salesChannelId);
    expect([received?.messageId, received?.filename, received?.content.toString("utf8")]).toEqual([
      sent.id,
      "deals.csv",
      "customer,amount\nAcme,1200\n",
    ]);
  });

  it("GIVEN DMs THEN the DM channel is stable per user AND closed DMs fail with 50007", async () => {
    const alice = await client.users.fetch(aliceId);
    await alice.send("Your goal for June is 10 deals");
    await alice.send("Reminder");
    expect(emulator.channelMessages(emulator.dmChannelId(aliceId)).map((m) => m.content)).toEqual([
      "Your goal for June is 10 deals",
      "Reminder",
    ]);
    expect(await discordCode(client.users.send(bobId, "hello"))).toBe(50007);
  });

  it("GIVEN commands.set and a guild PUT THEN both scopes are kept, ids survive an overwrite, and interactions name them", async () => {
    const [registered] = [...((await client.application?.commands.set([dealCommand]))?.values() ?? [])];
    expect(emulator.commands()).toMatchObject([{ name: "deal", application_id: emulator.applicationId }]);
    const again = await client.application?.commands.set([
      dealCommand,
      { name: "kpis", description: "KPIs" },
    ]);
    expect(again?.find((c) => c.name === "deal")?.id).toBe(registered?.id);

    const rest = new REST({ api: emulator.apiUrl }).setToken(emulator.token);
    const guildCommands = (await rest.put(Routes.applicationGuildCommands(emulator.applicationId, guildId), {
      body: [{ name: "goal", description: "Set a goal" }],
    })) as { id: string; guild_id: string }[];
    expect(emulator.commands(guildId)).toEqual(guildCommands);
    expect(guildCommands[0]?.guild_id).toBe(guildId);

    const handled = onNextInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error("expected a chat input command");
      expect([i.commandId, i.commandGuildId]).toEqual([guildCommands[0]?.id, guildId]);
      await i.reply("ok");
    });
    await Promise.all([
      emulator.interact({ type: 2, guildId, userId: aliceId, data: { name: "goal" } }),
      handled,
    ]);

    const invalid = rest.put(Routes.applicationCommands(emulator.applicationId), {
      body: [{ name: "Deal", description: "upper case" }],
    });
    expect(await discordCode(invalid)).toBe(50035);
  });
});

describe("Discord emulator: pictures attached to a message", () => {
  let emulator: DiscordEmulator;
  beforeAll(async () => {
    emulator = await startDiscordEmulator();
    emulator.addGuild({ id: guildId, name: "Sales", channels: [{ id: salesChannelId, name: "sales" }] });
  });
  afterAll(() => emulator?.close());

  it("GIVEN an embed showing attachment://chart.png THEN the message shows the attachment's URL as the embed's image", async () => {
    const rest = new REST({ api: emulator.apiUrl }).setToken(emulator.token);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const message = (await rest.post(Routes.channelMessages(salesChannelId), {
      body: {
        embeds: [{ title: "Won", image: { url: "attachment://chart.png" } }],
        attachments: [{ id: 0, filename: "chart.png", description: "Won against goal" }],
      },
      files: [{ name: "chart.png", data: png, contentType: "image/png" }],
    })) as { embeds: { image: { url: string } }[]; attachments: { url: string; filename: string }[] };
    expect(message.attachments.map((a) => a.filename)).toEqual(["chart.png"]);
    expect(message.embeds[0]?.image.url).toBe(message.attachments[0]?.url);
    expect(emulator.channelFiles(salesChannelId).map((f) => f.content)).toEqual([png]);
  });

  it("GIVEN an embed image on another scheme, or an alt text over 1,024 characters THEN Discord's 400 names the field", async () => {
    const rest = new REST({ api: emulator.apiUrl }).setToken(emulator.token);
    const send = (body: Record<string, unknown>) =>
      rest.post(Routes.channelMessages(salesChannelId), { body });
    expect(await discordCode(send({ embeds: [{ image: { url: "ftp://example.com/a.png" } }] }))).toBe(50035);
    expect(
      await discordCode(
        send({ content: "x", attachments: [{ id: 0, filename: "a.png", description: "d".repeat(1025) }] }),
      ),
    ).toBe(50035);
  });
});
