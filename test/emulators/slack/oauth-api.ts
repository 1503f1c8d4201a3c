import { fail, type Params, type Result, str } from "./api-result.js";
import type { OAuthInstall, Workspace } from "./types.js";

export interface OAuthDeps {
  appId: string;
  clientId: string;
  clientSecret: string;
  /** Codes registered by the test, consumed on exchange. */
  codes: Map<string, OAuthInstall>;
  /** Installed workspaces by bot token; an exchange adds one. */
  workspaces: Map<string, Workspace>;
}

const defaultScopes = ["commands", "chat:write", "im:write", "users:read", "team:read"];

/** oauth.v2.access: client credentials from the params or HTTP Basic auth, then a single-use code. */
export function exchangeOAuthCode(
  deps: OAuthDeps,
  params: Params,
  basicAuth: { id: string; secret: string } | undefined,
): Result {
  const clientId = str(params, "client_id") ?? basicAuth?.id;
  const clientSecret = str(params, "client_secret") ?? basicAuth?.secret;
  if (clientId !== deps.clientId) return fail("invalid_client_id");
  if (clientSecret !== deps.clientSecret) return fail("bad_client_secret");
  const code = str(params, "code") ?? "";
  const install = deps.codes.get(code);
  if (!install) return fail("invalid_code");
  deps.codes.delete(code);
  deps.workspaces.set(install.botToken, {
    teamId: install.teamId,
    teamName: install.teamName,
    botToken: install.botToken,
    botUserId: install.botUserId,
    botId: install.botId ?? `B${install.botUserId.slice(1)}`,
    ...(install.enterpriseId !== undefined ? { enterpriseId: install.enterpriseId } : {}),
    scopes: install.scopes ?? defaultScopes,
  });
  return {
    ok: true,
    app_id: deps.appId,
    // @slack/oauth reads authed_user.access_token unguarded, so authed_user must always be present.
    authed_user: { id: install.userId },
    scope: (install.scopes ?? defaultScopes).join(","),
    token_type: "bot",
    access_token: install.botToken,
    bot_user_id: install.botUserId,
    team: { id: install.teamId, name: install.teamName },
    enterprise:
      install.enterpriseId !== undefined ? { id: install.enterpriseId, name: install.enterpriseId } : null,
    is_enterprise_install: false,
  };
}
