import { randomBytes } from "node:crypto";
import { type BotMethod, fail, type Params, type Result, str } from "./api-result.js";
import { viewErrors } from "./block-limits.js";
import type { StoredView, Workspace } from "./types.js";

/** views.open / push / update / publish over a shared list of stored views. */
export function createViewMethods(deps: { views: StoredView[]; appId: string; now: () => number }) {
  const { views } = deps;
  // Slack trigger ids are single-use ("exchanged_trigger_id" on the second use).
  const exchangedTriggers = new Set<string>();
  let counter = 0;

  const newHash = () => `${Math.floor(deps.now() / 1000)}.${randomBytes(4).toString("hex")}`;

  function viewJson(stored: StoredView, ws: Workspace): Result {
    return {
      private_metadata: "",
      callback_id: "",
      external_id: "",
      clear_on_close: false,
      notify_on_close: false,
      ...stored.view,
      id: stored.id,
      team_id: stored.teamId,
      type: stored.type,
      state: { values: {} },
      hash: stored.hash,
      root_view_id: stored.id,
      previous_view_id: null,
      app_id: deps.appId,
      app_installed_team_id: ws.teamId,
      bot_id: ws.botId,
    };
  }

  function invalidView(view: unknown, types: readonly string[]): Result | undefined {
    const errors = viewErrors(view, types);
    return errors.length > 0 ? fail("invalid_arguments", errors) : undefined;
  }

  function store(
    params: Params,
    ws: Workspace,
    via: StoredView["via"],
    extra: Partial<StoredView>,
  ): StoredView {
    const view = params.view as Record<string, unknown>;
    counter += 1;
    const stored: StoredView = {
      id: `V${String(counter).padStart(9, "0")}`,
      teamId: ws.teamId,
      type: String(view.type),
      via,
      externalId: typeof view.external_id === "string" ? view.external_id : undefined,
      hash: newHash(),
      view,
      history: [view],
      ...extra,
    };
    views.push(stored);
    return stored;
  }

  function withTrigger(via: "views.open" | "views.push"): BotMethod {
    return (params, ws) => {
      const triggerId = str(params, "trigger_id") ?? str(params, "interactivity_pointer");
      if (!triggerId) return fail("invalid_arguments", ["[ERROR] missing required field: trigger_id"]);
      const invalid = invalidView(params.view, ["modal"]);
      if (invalid) return invalid;
      if (exchangedTriggers.has(triggerId)) return fail("exchanged_trigger_id");
      const externalId = (params.view as Record<string, unknown>).external_id;
      if (typeof externalId === "string" && views.some((v) => v.externalId === externalId)) {
        return fail("duplicate_external_id");
      }
      exchangedTriggers.add(triggerId);
      return { view: viewJson(store(params, ws, via, { triggerId }), ws) };
    };
  }

  function replace(stored: StoredView, view: Record<string, unknown>): void {
    stored.view = view;
    stored.history.push(view);
    stored.hash = newHash();
  }

  const methods: Record<string, BotMethod> = {
    "views.open": withTrigger("views.open"),
    "views.push": withTrigger("views.push"),
    "views.update": (params, ws) => {
      const viewId = str(params, "view_id");
      const externalId = str(params, "external_id");
      if (!viewId && !externalId)
        return fail("invalid_arguments", ["[ERROR] missing required field: view_id"]);
      const stored = views.find((v) => (viewId ? v.id === viewId : v.externalId === externalId));
      if (!stored) return fail("not_found");
      const invalid = invalidView(params.view, [stored.type]);
      if (invalid) return invalid;
      const hash = str(params, "hash");
      if (hash !== undefined && hash !== stored.hash) return fail("hash_conflict");
      replace(stored, params.view as Record<string, unknown>);
      return { view: viewJson(stored, ws) };
    },
    "views.publish": (params, ws) => {
      const userId = str(params, "user_id");
      if (!userId) return fail("invalid_arguments", ["[ERROR] missing required field: user_id"]);
      const invalid = invalidView(params.view, ["home"]);
      if (invalid) return invalid;
      const view = params.view as Record<string, unknown>;
      const existing = views.find(
        (v) => v.via === "views.publish" && v.userId === userId && v.teamId === ws.teamId,
      );
      if (existing) {
        const hash = str(params, "hash");
        if (hash !== undefined && hash !== existing.hash) return fail("hash_conflict");
        replace(existing, view);
        return { view: viewJson(existing, ws) };
      }
      return { view: viewJson(store(params, ws, "views.publish", { userId }), ws) };
    },
  };
  return methods;
}
