/**
 * The Discord reference: a bare discord.js client in a process of its own (Guilds intent, default
 * caches) that answers every interaction with one fixed message, BARE_REPLY. Started by `../discord.ts`
 * with DISCORD_TOKEN and DISCORD_API_URL; logs `{"msg":"bare app ready"}` on stderr once its gateway
 * session is ready, and stops on SIGTERM.
 */
import { Client, Events, GatewayIntentBits } from "discord.js";

const env = process.env;
const reply = env.BARE_REPLY ?? "ok";
const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  rest: env.DISCORD_API_URL ? { api: env.DISCORD_API_URL } : {},
});
client.on(Events.InteractionCreate, async (interaction) => {
  if (!interaction.isRepliable()) return;
  try {
    await interaction.reply({ content: reply });
  } catch (error) {
    process.stderr.write(`${JSON.stringify({ level: 50, msg: "reply failed", err: String(error) })}\n`);
  }
});
client.once(Events.ClientReady, () => {
  process.stderr.write(`${JSON.stringify({ msg: "bare app ready" })}\n`);
});
process.once("SIGTERM", () => {
  client.destroy().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
await client.login(env.DISCORD_TOKEN);
