import { z } from "zod";

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const url = (what: string) =>
  z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : v))
    .optional()
    .refine((v) => v === undefined || URL.canParse(v), `expected ${what}`);

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine(
      (v) => v === undefined || /^(pglite:\/\/memory|pglite:\/\/\/.+|postgres(ql)?:\/\/.+)$/.test(v),
      "expected pglite://memory, pglite:///absolute/dir or postgres://user@host/db",
    ),
  SLACK_BOT_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith("xoxb-"), "expected xoxb-…"),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith("xapp-"), "expected xapp-…"),
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText,
  SLACK_API_URL: url("an http(s) URL such as https://slack.com/api/"),
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText.refine(
    (v) => v === undefined || /^\d{5,25}$/.test(v),
    "expected a numeric application id",
  ),
  DISCORD_API_URL: url("an http(s) URL such as https://discord.com/api"),
  PORT: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? Number(v) : 3000))
    .refine((v) => Number.isInteger(v) && v >= 0 && v <= 65535, "expected a port number 0-65535"),
  METRICS_TOKEN: optionalText,
  PUBLIC_URL: url("an http(s) URL such as https://closer.example.com").refine(
    (v) => v === undefined || !URL.canParse(v) || /^https?:$/.test(new URL(v).protocol),
    "expected an http(s) URL such as https://closer.example.com",
  ),
  FRAME_ANCESTORS: optionalText.refine(
    (v) => v === undefined || /^[^;,"\r\n]+$/.test(v),
    "expected CSP sources separated by spaces, such as 'self' https://intranet.example.com",
  ),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "expected one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
});

export type SlackOAuth = { clientId: string; clientSecret: string; stateSecret: string };

export type Config = Readonly<{
  databaseUrl: string | undefined;
  port: number;
  /** True when PORT was set: the HTTP server then runs even with the shell alone. */
  portSet: true | undefined;
  /** When set, `/metrics` needs it as a bearer token. */
  metricsToken: string | undefined;
  /** Where people open the pages (`<publicUrl>/tv/<token>`), without a trailing slash. */
  publicUrl: string;
  /** CSP `frame-ancestors` sources allowed to frame the pages; unset: none may. */
  frameAncestors: string | undefined;
  logLevel: string;
  /** Set when a bot token (one workspace) or OAuth credentials (many) are. */
  slack:
    | {
        botToken: string | undefined;
        signingSecret: string | undefined;
        appToken: string | undefined;
        apiUrl: string | undefined;
        oauth: SlackOAuth | undefined;
      }
    | undefined;
  discord: { token: string; applicationId: string; apiUrl: string | undefined } | undefined;
}>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses the environment; a bad value throws a ConfigError whose message is one line naming it. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    throw new ConfigError(`${name}: ${issue?.message ?? "invalid value"}`);
  }
  const e = parsed.data;
  const oauthParts = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET];
  if (oauthParts.some(Boolean) && !oauthParts.every(Boolean)) {
    throw new ConfigError(
      "SLACK_CLIENT_ID: SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET go together",
    );
  }
  const oauth =
    e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET
      ? {
          clientId: e.SLACK_CLIENT_ID,
          clientSecret: e.SLACK_CLIENT_SECRET,
          stateSecret: e.SLACK_STATE_SECRET,
        }
      : undefined;
  const slack =
    e.SLACK_BOT_TOKEN || oauth
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          appToken: e.SLACK_APP_TOKEN,
          apiUrl: e.SLACK_API_URL,
          oauth,
        }
      : undefined;
  if (slack && !slack.appToken && !slack.signingSecret) {
    throw new ConfigError(
      "SLACK_SIGNING_SECRET: required over HTTP (unless SLACK_APP_TOKEN selects Socket Mode)",
    );
  }
  if (e.SLACK_APP_TOKEN && !slack) {
    throw new ConfigError("SLACK_APP_TOKEN: needs SLACK_BOT_TOKEN (or the OAuth variables) too");
  }
  if (Boolean(e.DISCORD_TOKEN) !== Boolean(e.DISCORD_APPLICATION_ID)) {
    throw new ConfigError("DISCORD_TOKEN: DISCORD_TOKEN and DISCORD_APPLICATION_ID go together");
  }
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    portSet: env.PORT?.trim() ? true : undefined,
    metricsToken: e.METRICS_TOKEN,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    frameAncestors: e.FRAME_ANCESTORS,
    logLevel: e.LOG_LEVEL,
    slack,
    discord:
      e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID
        ? { token: e.DISCORD_TOKEN, applicationId: e.DISCORD_APPLICATION_ID, apiUrl: e.DISCORD_API_URL }
        : undefined,
  });
}
