import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SLASH_COMMANDS } from "../../../src/commands/registry.js";
import { SLACK_SCOPES } from "../../../src/platforms/slack/slack-platform.js";

interface Manifest {
  features: {
    app_home: { home_tab_enabled: boolean };
    bot_user: { display_name: string };
    slash_commands: {
      command: string;
      url: string;
      description: string;
      usage_hint: string;
      should_escape: boolean;
    }[];
  };
  oauth_config: { redirect_urls: string[]; scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(readFileSync(new URL("../../../manifest.yml", import.meta.url), "utf8")) as Manifest;

describe("manifest.yml", () => {
  it("GIVEN the registered commands THEN the manifest declares exactly those, each escaped, described and hinted", () => {
    const declared = manifest.features.slash_commands;
    expect(declared.map((c) => c.command)).toEqual(SLASH_COMMANDS.map((c) => `/${c}`));
    for (const c of declared) {
      expect(c.url).toMatch(/\/slack\/events$/);
      expect(c.should_escape).toBe(true);
      expect(c.description.length).toBeGreaterThan(10);
      expect(c.description.length).toBeLessThanOrEqual(100);
      expect(c.usage_hint.length).toBeGreaterThan(0);
      expect(c.usage_hint.length).toBeLessThanOrEqual(1000);
    }
  });

  it("GIVEN the app THEN it asks for the scopes it uses and nothing else", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(SLACK_SCOPES);
    expect(manifest.oauth_config.redirect_urls).toEqual([expect.stringMatching(/\/slack\/oauth_redirect$/)]);
  });

  it("GIVEN the features THEN App Home, interactivity and app_home_opened are on, Socket Mode off by default", () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.bot_user.display_name).toBe("Closer");
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(["app_home_opened"]);
    expect(manifest.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: expect.stringMatching(/\/slack\/events$/),
    });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });
});
