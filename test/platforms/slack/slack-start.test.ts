import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { type PgliteDir, pgliteDir } from "../../support/pglite-dir.js";
import { answerText, SIGNING_SECRET } from "./support.js";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves with the first log line of the child that matches, as it is written. */
function logLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      const line = seen.split("\n").find((l) => pattern.test(l));
      if (line) resolve(line);
    });
    child.once("exit", (code) => reject(new Error(`closer exited with ${code}: ${seen}`)));
  });
}

describe("closer start with Slack variables", () => {
  let emu: SlackEmulator;
  let child: ChildProcess;
  let data: PgliteDir;
  let port: number;
  let logs = "";

  beforeAll(async () => {
    emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
    emu.addUser({ id: "U0OPS", teamId: emu.workspace.teamId, name: "ops" });
    port = await freePort();
    data = pgliteDir();
    child = spawn(process.execPath, ["bin/closer.js", "start"], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: data.url,
        SLACK_BOT_TOKEN: emu.tokens.bot,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: emu.apiUrl,
        PORT: String(port),
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      logs += chunk.toString("utf8");
    });
    await logLine(child, /"msg":"closer ready"/);
  }, 60_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await emu.close();
    data.remove();
  });

  it("GIVEN a correctly signed /deal log 12k Acme THEN it answers with the logged deal", async () => {
    const url = `http://127.0.0.1:${port}/slack/events`;
    const res = await emu.sendCommand(url, {
      command: "/deal",
      text: "log 12k Acme",
      teamId: emu.workspace.teamId,
      userId: "U0OPS",
    });
    expect(res.status).toBe(200);
    expect(await answerText(emu, res)).toContain("Deal #1 logged");
  });

  it("GIVEN a wrongly signed request THEN 401", async () => {
    const url = `http://127.0.0.1:${port}/slack/events`;
    const res = await emu.sendCommand(
      url,
      { command: "/deal", text: "log 1k Evil", teamId: emu.workspace.teamId, userId: "U0OPS" },
      { signature: "forged" },
    );
    expect(res.status).toBe(401);
  });

  it("GIVEN the logs THEN the bot token and the signing secret never appear", () => {
    expect(logs).toContain('"msg":"slack ready"');
    expect(logs).not.toContain(emu.tokens.bot);
    expect(logs).not.toContain(SIGNING_SECRET);
  });

  it("GIVEN SIGTERM THEN it stops cleanly", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
