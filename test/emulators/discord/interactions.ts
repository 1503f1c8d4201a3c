import { createWaitable } from "../waitable.js";
import { attachmentObjects, editMessage, messageObject } from "./discord-objects.js";
import { asRecord, errors, formError, type RestResult, type Route, type RouteRequest } from "./http-io.js";
import { buildInteraction, type InteractionRecord, type PayloadDeps } from "./interaction-payloads.js";
import { checkAutocompleteResult, checkMessageBody, checkModal } from "./message-rules.js";
import type { InteractionInput, InteractionMessage } from "./types.js";

const ephemeral = 64;
const loading = 128;
/** Interaction tokens (and so their webhooks) are valid for 15 minutes. */
const tokenLifetimeMs = 15 * 60_000;

/** Callback types Discord accepts for each interaction type. */
const allowedCallbacks: Record<number, number[]> = {
  2: [4, 5, 9],
  3: [4, 5, 6, 7, 9],
  4: [8],
  5: [4, 5, 6, 7],
};

type LogEntry = InteractionMessage & { token: string };

/**
 * Interactions the emulator dispatched, their callback (POST /interactions/:id/:token/callback) and
 * their webhook (@original edits and follow-ups), answered the way Discord answers them.
 */
export function createInteractions(deps: PayloadDeps & { deadlineMs: number; baseUrl: () => string }) {
  const byId = new Map<string, InteractionRecord>();
  const byToken = new Map<string, InteractionRecord>();
  const log = createWaitable<LogEntry>(
    (items) => `interaction messages so far: ${items.map((e) => e.kind).join(", ") || "none"}`,
  );
  const isoNow = () => new Date(deps.now()).toISOString();

  function responseMessage(record: InteractionRecord, body: Record<string, unknown>, req: RouteRequest) {
    const data = record.payload.data as Record<string, unknown>;
    return messageObject({
      id: deps.nextId(),
      channelId: record.channelId,
      author: deps.world.botUser,
      body,
      attachments: attachmentObjects(req.files, body, deps.nextId, deps.baseUrl()),
      timestamp: isoNow(),
      extra: {
        type: record.type === 2 ? (data.type === 1 ? 20 : 23) : 0,
        webhook_id: deps.applicationId,
        application_id: deps.applicationId,
        interaction_metadata: {
          id: record.id,
          type: record.type,
          user: (record.payload.member as Record<string, unknown>).user,
          authorizing_integration_owners: { "0": record.guildId },
          ...(record.type === 2 ? { name: data.name, command_type: data.type } : {}),
          ...(record.componentMessage ? { interacted_message_id: record.componentMessage.id } : {}),
        },
      },
    });
  }

  /** The effect of an accepted callback on the response message, or a 400 if its data is invalid. */
  function applyCallback(
    record: InteractionRecord,
    type: number,
    data: Record<string, unknown>,
    req: RouteRequest,
  ): RestResult | undefined {
    const hasFiles = req.files.length > 0;
    if (type === 4) {
      const invalid = checkMessageBody(data, { create: true, hasFiles });
      if (invalid) return invalid;
      record.original = responseMessage(record, data, req);
    } else if (type === 5) {
      const flags = (typeof data.flags === "number" ? data.flags & ephemeral : 0) | loading;
      record.original = responseMessage(record, { flags }, req);
    } else if (type === 6 || type === 7) {
      if (!record.componentMessage) {
        return formError(
          "type",
          "INTERACTION_RESPONSE_TYPE_INVALID",
          "This interaction has no message to update",
        );
      }
      if (type === 7) {
        const invalid = checkMessageBody(data, { create: false, hasFiles });
        if (invalid) return invalid;
        editMessage(record.componentMessage, data, isoNow());
      }
      record.original = record.componentMessage;
    } else if (type === 8) {
      return checkAutocompleteResult(data);
    } else if (type === 9) {
      return checkModal(data);
    }
    return undefined;
  }

  function callback(req: RouteRequest): RestResult {
    const [id = "", token = ""] = req.params;
    const record = byId.get(id);
    if (!record || record.token !== token) return errors.unknownInteraction();
    if (record.callback) return errors.alreadyAcknowledged();
    if (deps.now() - record.createdAt > deps.deadlineMs) return errors.unknownInteraction();
    const body = asRecord(req.body);
    const type = body.type;
    const allowed = allowedCallbacks[record.type] ?? [];
    if (typeof type !== "number" || !allowed.includes(type)) {
      return formError("type", "BASE_TYPE_CHOICES", `Value must be one of {${allowed.join(", ")}}.`);
    }
    const data = asRecord(body.data);
    const invalid = applyCallback(record, type, data, req);
    if (invalid) return invalid;
    record.callback = body.data === undefined ? { type } : { type, data };
    log.push({ token, kind: "callback", body: { ...body } });
    if (req.query.get("with_response") !== "true") return { status: 204 };
    const message = type === 4 || type === 5 || type === 7 ? record.original : undefined;
    return {
      status: 200,
      body: {
        interaction: {
          id: record.id,
          type: record.type,
          ...(message
            ? {
                response_message_id: message.id,
                response_message_loading: type === 5,
                response_message_ephemeral: ((message.flags as number) & ephemeral) !== 0,
              }
            : {}),
        },
        resource: { type, ...(message ? { message } : {}) },
      },
    };
  }

  /** The interaction behind a webhook path, if its app id, token and lifetime check out and it was acknowledged. */
  function webhookRecord(params: string[]): InteractionRecord | undefined {
    const [appId, token = ""] = params;
    const record = byToken.get(token);
    if (appId !== deps.applicationId || !record?.callback) return undefined;
    return deps.now() - record.createdAt > tokenLifetimeMs ? undefined : record;
  }

  function findWebhookMessage(record: InteractionRecord, messageId: string) {
    if (messageId === "@original" || messageId === record.original?.id) {
      return record.original ? { message: record.original, original: true } : undefined;
    }
    const message = record.followups.find((m) => m.id === messageId);
    return message ? { message, original: false } : undefined;
  }

  function followup(req: RouteRequest): RestResult {
    const record = webhookRecord(req.params);
    if (!record) return errors.unknownWebhook();
    const body = asRecord(req.body);
    const invalid = checkMessageBody(body, { create: true, hasFiles: req.files.length > 0 });
    if (invalid) return invalid;
    let message: Record<string, unknown>;
    const { original } = record;
    if (original && ((original.flags as number) & loading) !== 0) {
      // The first follow-up after a deferral fills the "thinking…" message; its ephemerality stays.
      editMessage(original, { ...body, flags: (original.flags as number) & ephemeral }, isoNow());
      original.edited_timestamp = null;
      message = original;
    } else {
      message = responseMessage(record, body, req);
      record.followups.push(message);
    }
    log.push({ token: record.token, kind: "followup", body });
    return req.query.get("wait") === "true" ? { status: 200, body: message } : { status: 204 };
  }

  function editWebhookMessage(req: RouteRequest): RestResult {
    const record = webhookRecord(req.params);
    if (!record) return errors.unknownWebhook();
    const found = findWebhookMessage(record, req.params[2] ?? "");
    if (!found) return errors.unknownMessage();
    const body = asRecord(req.body);
    const invalid = checkMessageBody(body, { create: false, hasFiles: req.files.length > 0 });
    if (invalid) return invalid;
    const { message } = found;
    const wasLoading = ((message.flags as number) & loading) !== 0;
    const kept = (message.flags as number) & ephemeral;
    editMessage(message, body, isoNow(), attachmentObjects(req.files, body, deps.nextId, deps.baseUrl()));
    message.flags = (((message.flags as number) ?? 0) & ~loading & ~ephemeral) | kept;
    if (wasLoading) message.edited_timestamp = null;
    if (found.original) log.push({ token: record.token, kind: "original", body });
    return { status: 200, body: message };
  }

  const webhookMessage = /^\/webhooks\/([^/]+)\/([^/]+)\/messages\/([^/]+)$/;
  const routes: Route[] = [
    {
      method: "POST",
      pattern: /^\/interactions\/([^/]+)\/([^/]+)\/callback$/,
      noBotAuth: true,
      handle: callback,
    },
    { method: "POST", pattern: /^\/webhooks\/([^/]+)\/([^/]+)$/, noBotAuth: true, handle: followup },
    { method: "PATCH", pattern: webhookMessage, noBotAuth: true, handle: editWebhookMessage },
    {
      method: "GET",
      pattern: webhookMessage,
      noBotAuth: true,
      handle: ({ params }) => {
        const record = webhookRecord(params);
        if (!record) return errors.unknownWebhook();
        const found = findWebhookMessage(record, params[2] ?? "");
        return found ? { status: 200, body: found.message } : errors.unknownMessage();
      },
    },
    {
      method: "DELETE",
      pattern: webhookMessage,
      noBotAuth: true,
      handle: ({ params }) => {
        const record = webhookRecord(params);
        if (!record) return errors.unknownWebhook();
        const found = findWebhookMessage(record, params[2] ?? "");
        if (!found) return errors.unknownMessage();
        if (found.original) record.original = undefined;
        else record.followups = record.followups.filter((m) => m !== found.message);
        return { status: 204 };
      },
    },
  ];

  return {
    routes,
    /** Builds and remembers an interaction; the caller dispatches `payload` over the gateway. */
    create(input: InteractionInput): InteractionRecord {
      const record = buildInteraction(input, deps);
      if (byId.has(record.id) || byToken.has(record.token)) {
        throw new Error(`Discord emulator: interact: interaction id or token already used (${record.id})`);
      }
      byId.set(record.id, record);
      byToken.set(record.token, record);
      return record;
    },
    waitForCallback: (token: string, timeoutMs: number) =>
      log.waitFor((e) => e.token === token && e.kind === "callback", timeoutMs, "the interaction callback"),
    messages: (token: string): InteractionMessage[] =>
      log.items.filter((e) => e.token === token).map(({ kind, body }) => ({ kind, body })),
    waitForMessage: async (token: string, kind: "original" | "followup", timeoutMs: number) =>
      (await log.waitFor((e) => e.token === token && e.kind === kind, timeoutMs, `an ${kind} message`)).body,
    cancelAll: (reason: string) => log.cancelAll(reason),
  };
}
