import { LogLevel } from "@slack/bolt";
import { type WebAPIPlatformError, WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "./slack-emulator.js";

const signingSecret = "emulator-signing-secret";
// The WebClient logs Slack's error answers; these tests provoke them on purpose.
const silentLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};
const apiClient = (emulator: SlackEmulator, token: string) =>
  new WebClient(token, { slackApiUrl: emulator.apiUrl, logger: silentLogger, retryConfig: { retries: 0 } });

async function slackError(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return (error as WebAPIPlatformError).data?.error;
  }
}

const csv = Buffer.from("\ufeffnumber,customer,amount\n1,École Verte,1200.50\n", "utf8");

describe("Slack emulator: the upload flow with the real WebClient", () => {
  let emulator: SlackEmulator;
  let client: WebClient;
  beforeAll(async () => {
    emulator = await startSlackEmulator({ signingSecret });
    client = apiClient(emulator, emulator.tokens.bot);
    emulator.addUser({ id: "U0ANN", teamId: emulator.workspace.teamId, name: "ann", email: "Ann@Acme.com" });
  });
  afterAll(() => emulator?.close());

  it("GIVEN files.uploadV2 to a DM THEN the URL is the emulator's, the bytes are kept exactly, and the DM gets the file with its comment", async () => {
    const dm = (await client.conversations.open({ users: "U0ANN" })).channel?.id as string;
    const done = await client.files.uploadV2({
      channel_id: dm,
      file: csv,
      filename: "deals.csv",
      title: "deals.csv",
      initial_comment: "Your export",
    });
    const [asked] = emulator.callsTo("files.getUploadURLExternal");
    expect(asked?.params).toMatchObject({ filename: "deals.csv", length: String(csv.length) });
    const file = emulator.files.at(-1);
    expect(file).toMatchObject({ name: "deals.csv", title: "deals.csv", channel: dm, completed: true });
    expect(file?.content?.equals(csv)).toBe(true);
    const shared = emulator.messages.find((m) => m.channel === dm && m.files?.length);
    expect([shared?.text, shared?.files?.map((f) => f.id)]).toEqual(["Your export", [file?.id]]);
    expect(JSON.stringify(done)).toContain(file?.id as string);
  });

  it("GIVEN bytes shorter than announced THEN the upload URL answers non-200 and nothing can be completed", async () => {
    const { upload_url, file_id } = await client.files.getUploadURLExternal({
      filename: "a.csv",
      length: 10,
    });
    const res = await fetch(upload_url as string, { method: "POST", body: new Uint8Array([1, 2, 3]) });
    expect(res.status).toBe(400);
    const complete = client.files.completeUploadExternal({
      files: [{ id: file_id as string }],
      channel_id: "C0SALES",
    });
    expect(await slackError(complete)).toBe("file_not_found");
  });

  it("GIVEN an unknown file id, a file completed twice or an unknown DM THEN Slack's errors", async () => {
    expect(
      await slackError(
        client.files.completeUploadExternal({ files: [{ id: "F0NOPE" }], channel_id: "C0SALES" }),
      ),
    ).toBe("file_not_found");
    const { upload_url, file_id } = await client.files.getUploadURLExternal({ filename: "b.csv", length: 3 });
    expect((await fetch(upload_url as string, { method: "POST", body: "abc" })).status).toBe(200);
    const files: [{ id: string }] = [{ id: file_id as string }];
    expect(
      await slackError(client.files.completeUploadExternal({ files, channel_id: "D0NEVEROPENED" })),
    ).toBe("channel_not_found");
    await client.files.completeUploadExternal({ files, channel_id: "C0SALES" });
    expect(await slackError(client.files.completeUploadExternal({ files, channel_id: "C0SALES" }))).toBe(
      "file_not_found",
    );
    expect(await slackError(client.files.getUploadURLExternal({ filename: "c.csv", length: 0 }))).toBe(
      "invalid_arguments",
    );
  });

  it("GIVEN a completion without a channel THEN the file stays private: completed, shared nowhere", async () => {
    const { upload_url, file_id } = await client.files.getUploadURLExternal({ filename: "p.csv", length: 2 });
    await fetch(upload_url as string, { method: "POST", body: "ok" });
    await client.files.completeUploadExternal({ files: [{ id: file_id as string }] });
    expect(emulator.files.find((f) => f.id === file_id)).toMatchObject({
      completed: true,
      channel: undefined,
    });
    expect(emulator.messages.some((m) => m.files?.some((f) => f.id === file_id))).toBe(false);
  });

  it("GIVEN a user with an email THEN users.info gives it in the profile", async () => {
    expect((await client.users.info({ user: "U0ANN" })).user?.profile?.email).toBe("Ann@Acme.com");
  });
});

describe("Slack emulator: scopes the app was not granted", () => {
  it("GIVEN no files:write and no users:read.email THEN uploads fail with missing_scope and users.info leaves the email out", async () => {
    const emulator = await startSlackEmulator({
      signingSecret,
      scopes: ["commands", "chat:write", "users:read"],
    });
    try {
      const client = apiClient(emulator, emulator.tokens.bot);
      emulator.addUser({
        id: "U0BOB",
        teamId: emulator.workspace.teamId,
        name: "bob",
        email: "bob@acme.com",
      });
      const refused = client.files.uploadV2({ channel_id: "C0SALES", file: csv, filename: "deals.csv" });
      expect(await slackError(refused)).toBe("missing_scope");
      expect(emulator.files).toEqual([]);
      const info = await client.users.info({ user: "U0BOB" });
      expect([info.user?.profile?.display_name, info.user?.profile?.email]).toEqual(["bob", undefined]);
    } finally {
      await emulator.close();
    }
  });
});

describe("Slack emulator: image blocks showing uploaded files", () => {
  let emulator: SlackEmulator;
  let client: WebClient;
  beforeAll(async () => {
    emulator = await startSlackEmulator({ signingSecret, fileProcessingChecks: 1 });
    client = apiClient(emulator, emulator.tokens.bot);
  });
  afterAll(() => emulator?.close());

  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const upload = async (filename: string) => {
    await client.files.uploadV2({ file: png, filename });
    return emulator.files.at(-1)?.id as string;
  };
  const post = (block: Record<string, unknown>) =>
    client.chat.postMessage({
      channel: "C0CHARTS",
      text: "chart",
      blocks: [{ type: "image", ...block }] as never,
    });
  const problems = async (block: Record<string, unknown>) => {
    try {
      await post(block);
      return [];
    } catch (error) {
      return ((error as WebAPIPlatformError).data?.response_metadata?.messages ?? []) as string[];
    }
  };

  it("GIVEN a private upload THEN an image block shows it once Slack has processed it, and counts the message", async () => {
    const id = await upload("chart.png");
    expect(emulator.files.at(-1)).toMatchObject({ channel: undefined, completed: true });
    // Right after the upload Slack has not processed the file yet.
    expect(await problems({ slack_file: { id }, alt_text: "Won" })).toEqual([
      "[ERROR] invalid slack file [json-pointer:/blocks/0/slack_file]",
    ]);
    expect(await problems({ slack_file: { id }, alt_text: "Won" })).toEqual([]);
    expect(emulator.files.at(-1)?.shownIn).toBe(1);
  });

  it("GIVEN an image block that breaks Slack's rules THEN chat.postMessage refuses it with invalid_blocks naming the field", async () => {
    const csv = await upload("deals.csv");
    expect(await problems({ slack_file: { id: "F0000009999" }, alt_text: "x" })).toEqual([
      "[ERROR] invalid slack file [json-pointer:/blocks/0/slack_file]",
    ]);
    expect(await problems({ slack_file: { id: csv }, alt_text: "x" })).toEqual([
      "[ERROR] invalid slack file [json-pointer:/blocks/0/slack_file]",
    ]);
    expect(await problems({ slack_file: { id: "chart.png" }, alt_text: "x" })).toEqual([
      "[ERROR] input must match regex pattern: ^[F][A-Z0-9]{8,}$ [json-pointer:/blocks/0/slack_file/id]",
    ]);
    expect(
      await problems({ image_url: "https://example.com/a.png", slack_file: { id: csv }, alt_text: "x" }),
    ).toEqual(["[ERROR] must provide exactly one of image_url or slack_file [json-pointer:/blocks/0]"]);
    expect(await problems({ image_url: "https://example.com/a.png" })).toEqual([
      "[ERROR] missing required field: alt_text [json-pointer:/blocks/0]",
    ]);
    expect(await problems({ image_url: "https://example.com/a.png", alt_text: "x".repeat(2001) })).toEqual([
      "[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/alt_text]",
    ]);
  });
});
