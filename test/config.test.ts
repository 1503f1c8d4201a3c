import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("environment", () => {
  it("GIVEN nothing set THEN PGlite in ./data, port 3000, info logs and no platform", () => {
    expect(loadConfig({})).toEqual({
      databaseUrl: undefined,
      port: 3000,
      publicUrl: "http://localhost:3000",
      logLevel: "info",
      slack: undefined,
      discord: undefined,
    });
  });

  it("GIVEN platform variables THEN they are grouped per platform", () => {
    const config = loadConfig({
      DATABASE_URL: "postgres://u@h/db",
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: "http://127.0.0.1:9/api/",
      DISCORD_TOKEN: "t",
      DISCORD_APPLICATION_ID: "123456789",
      PORT: "0",
    });
    expect(config.slack).toEqual({
      botToken: "xoxb-1",
      signingSecret: "s",
      appToken: undefined,
      apiUrl: "http://127.0.0.1:9/api/",
    });
    expect(config.discord).toEqual({ token: "t", applicationId: "123456789", apiUrl: undefined });
    expect(config.port).toBe(0);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("GIVEN OAuth variables without a bot token THEN Slack runs in multi-workspace mode", () => {
    const config = loadConfig({
      SLACK_CLIENT_ID: "1",
      SLACK_CLIENT_SECRET: "2",
      SLACK_STATE_SECRET: "3",
      SLACK_SIGNING_SECRET: "s",
    });
    expect(config.slack?.oauth).toEqual({ clientId: "1", clientSecret: "2", stateSecret: "3" });
    expect(config.slack?.botToken).toBeUndefined();
  });

  it.each([
    [{ DATABASE_URL: "mysql://x" }, /^DATABASE_URL: expected pglite:\/\/memory/],
    [{ PORT: "70000" }, /^PORT: expected a port number/],
    [{ PORT: "abc" }, /^PORT: /],
    [{ LOG_LEVEL: "loud" }, /^LOG_LEVEL: expected one of/],
    [{ SLACK_BOT_TOKEN: "abc" }, /^SLACK_BOT_TOKEN: expected xoxb-/],
    [{ SLACK_BOT_TOKEN: "xoxb-1" }, /^SLACK_SIGNING_SECRET: required/],
    [{ SLACK_API_URL: "not a url" }, /^SLACK_API_URL: expected an http/],
    [{ SLACK_CLIENT_ID: "1" }, /^SLACK_CLIENT_ID: .* go together/],
    [{ SLACK_APP_TOKEN: "xapp-1" }, /^SLACK_APP_TOKEN: needs SLACK_BOT_TOKEN/],
    [{ DISCORD_TOKEN: "t" }, /^DISCORD_TOKEN: .* go together/],
    [{ DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "abc" }, /^DISCORD_APPLICATION_ID: expected a numeric/],
    [{ PUBLIC_URL: "closer.example.com" }, /^PUBLIC_URL: expected an http/],
    [{ PUBLIC_URL: "ftp://closer.example.com" }, /^PUBLIC_URL: expected an http/],
    [{ FRAME_ANCESTORS: "'self'; script-src *" }, /^FRAME_ANCESTORS: expected CSP sources/],
  ])("GIVEN %o THEN one line names the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("GIVEN PUBLIC_URL unset THEN the pages are on localhost at PORT; set THEN as given, without a trailing slash", () => {
    expect(loadConfig({ PORT: "8080" }).publicUrl).toBe("http://localhost:8080");
    expect(loadConfig({ PUBLIC_URL: "https://closer.example.com/" }).publicUrl).toBe(
      "https://closer.example.com",
    );
    expect(loadConfig({ FRAME_ANCESTORS: "https://intranet.example.com" }).frameAncestors).toBe(
      "https://intranet.example.com",
    );
  });

  it("GIVEN a secret in a bad configuration THEN the message does not repeat it", () => {
    try {
      loadConfig({ SLACK_BOT_TOKEN: "not-a-token-secret-123" });
    } catch (error) {
      expect(String(error)).not.toContain("secret-123");
      return;
    }
    throw new Error("expected a ConfigError");
  });
});
