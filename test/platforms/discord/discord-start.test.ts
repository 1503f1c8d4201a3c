import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discordCommandJson } from "../../../src/platforms/discord/command-definitions.js";
import { type DiscordEmulator, startDiscordEmulator } from "../../emulators/discord/discord-emulator.js";
import { type PgliteDir, pgliteDir } from "../../support/pglite-dir.js";
import { chatInput, shown } from "./support.js";

const GUILD = "900000000000000077";

/** Resolves when the child writes a log line matching `pattern`. */
function logLine(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      if (pattern.test(seen)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`closer exited with ${code}: ${seen}`)));
  });
}

/** Runs the CLI without blocking this process, which serves the emulator. */
function closer(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/closer.js", ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.once("exit", (code) => resolve({ code, stdout }));
  });
}

describe("closer with Discord variables", () => {
  let emu: DiscordEmulator;
  let env: NodeJS.ProcessEnv;
  let data: PgliteDir;

  beforeAll(async () => {
    emu = await startDiscordEmulator({ interactionDeadlineMs: 15_000 });
    emu.addGuild({ id: GUILD, name: "Ops", channels: [{ id: "910000000000000077", name: "sales" }] });
    emu.addMember(GUILD, { id: "920000000000000077", username: "opal", permissions: "32" });
    data = pgliteDir();
    env = {
      PATH: process.env.PATH,
      DATABASE_URL: data.url,
      DISCORD_TOKEN: emu.token,
      DISCORD_APPLICATION_ID: emu.applicationId,
      DISCORD_API_URL: emu.apiUrl,
      LOG_LEVEL: "info",
    };
  });
  afterAll(async () => {
    await emu.close();
    data.remove();
  });

  it("GIVEN discord:register --guild THEN the guild's commands are bulk-overwritten with the definitions", async () => {
    // One per slash command of the registry, whatever their number.
    const count = discordCommandJson().length;
    const result = await closer(["discord:register", "--guild", GUILD], env);
    expect(result).toEqual({ code: 0, stdout: `registered ${count} commands in guild ${GUILD}\n` });
    expect((emu.commands(GUILD) as { name: string }[]).map((c) => c.name)).toEqual(
      discordCommandJson().map((c) => c.name),
    );
    expect(await closer(["discord:register"], env)).toEqual({
      code: 0,
      stdout: `registered ${count} commands globally\n`,
    });
    expect((emu.commands() as unknown[]).length).toBe(count);
  }, 60_000);

  it("GIVEN closer start THEN it connects through the gateway and answers /deal log through the callback", async () => {
    const child = spawn(process.execPath, ["bin/closer.js", "start"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let logs = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      logs += chunk.toString("utf8");
    });
    try {
      await logLine(child, /"msg":"closer ready"/);
      await emu.connected();
      const { callback } = await emu.interact({
        type: 2,
        guildId: GUILD,
        channelId: "910000000000000077",
        userId: "920000000000000077",
        data: chatInput("deal", "log", { amount: "12k", customer: "Acme" }),
      });
      expect(shown(callback.data)).toContain("Deal #1 logged");
      expect(logs).not.toContain(emu.token);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
  }, 60_000);
});
