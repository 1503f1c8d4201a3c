import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { constants, createDeflate, type Deflate } from "node:zlib";
import { type RawData, WebSocket, WebSocketServer } from "ws";
import { createWaitable } from "../waitable.js";
import type { GatewayEvent } from "./types.js";

const op = {
  dispatch: 0,
  heartbeat: 1,
  identify: 2,
  resume: 6,
  reconnect: 7,
  invalidSession: 9,
  hello: 10,
  ack: 11,
};
const privilegedIntentBits = (1 << 1) | (1 << 8) | (1 << 15);
const maxBufferedEvents = 1000;

interface Connection {
  ws: WebSocket;
  session?: Session;
  /** zlib-stream transport compression: one deflate context for the connection, flushed per payload. */
  deflate?: Deflate;
  sending: Promise<void>;
}

interface Session {
  id: string;
  seq: number;
  /** Dispatches as sent (serialized), kept so a RESUME can replay what the client missed. */
  sent: { s: number; json: string }[];
  connection?: Connection;
  /** After op 7 RECONNECT: dispatches are buffered until the client resumes. */
  paused: boolean;
  invalid: boolean;
}

export interface GatewayDeps {
  token: string;
  heartbeatIntervalMs: number;
  privilegedIntents: number;
  url: () => string;
  /** READY's `d` without session_id, resume_gateway_url and shard. */
  readyData: () => Record<string, unknown>;
  /** GUILD_CREATE payloads for every guild, sent after READY. */
  guildCreates: () => Record<string, unknown>[];
}

/**
 * Discord's gateway for one shard: HELLO, IDENTIFY → READY (+ GUILD_CREATE per guild), heartbeats
 * and ACKs, dispatches with sequence numbers, op 7 RECONNECT and RESUME with replay, op 9 for an
 * unknown session, and Discord's close codes for bad tokens, intents and opcodes.
 */
export function createGateway(deps: GatewayDeps) {
  const wss = new WebSocketServer({ noServer: true });
  const connections = new Set<Connection>();
  const sessions: Session[] = [];
  const received = createWaitable<GatewayEvent>(
    (items) => `ops received: ${items.map((e) => e.op).join(", ") || "none"}`,
  );
  const lifecycle = createWaitable<{ kind: "ready" | "resumed"; session: Session }>();

  function sendRaw(connection: Connection, json: string): void {
    const { ws, deflate } = connection;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (!deflate) {
      ws.send(json);
      return;
    }
    connection.sending = connection.sending.then(
      () =>
        new Promise<void>((resolve) => {
          const chunks: Buffer[] = [];
          const collect = (chunk: Buffer) => chunks.push(chunk);
          deflate.on("data", collect);
          deflate.write(json);
          deflate.flush(constants.Z_SYNC_FLUSH, () => {
            deflate.off("data", collect);
            if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat(chunks));
            resolve();
          });
        }),
    );
  }

  const send = (connection: Connection, payload: Record<string, unknown>) =>
    sendRaw(connection, JSON.stringify({ s: null, t: null, d: null, ...payload }));

  function dispatchTo(session: Session, t: string, d: unknown, replayable = true): void {
    session.seq += 1;
    const json = JSON.stringify({ op: op.dispatch, t, s: session.seq, d });
    if (replayable) {
      session.sent.push({ s: session.seq, json });
      if (session.sent.length > maxBufferedEvents) session.sent.shift();
    }
    if (session.connection && !session.paused) sendRaw(session.connection, json);
  }

  function identify(connection: Connection, d: Record<string, unknown>) {
    if (connection.session) return connection.ws.close(4005, "Already authenticated.");
    if (String(d.token).replace(/^Bot /, "") !== deps.token)
      return connection.ws.close(4004, "Authentication failed.");
    const intents = d.intents;
    if (typeof intents !== "number" || !Number.isInteger(intents) || intents < 0 || intents >= 2 ** 26) {
      return connection.ws.close(4013, "Invalid intent(s).");
    }
    if ((intents & privilegedIntentBits & ~deps.privilegedIntents) !== 0) {
      return connection.ws.close(4014, "Disallowed intent(s).");
    }
    const shard = Array.isArray(d.shard) ? (d.shard as number[]) : [0, 1];
    if (!((shard[0] ?? 0) < (shard[1] ?? 1))) return connection.ws.close(4010, "Invalid shard.");
    const session: Session = {
      id: randomBytes(16).toString("hex"),
      seq: 0,
      sent: [],
      paused: false,
      invalid: false,
    };
    sessions.push(session);
    session.connection = connection;
    connection.session = session;
    const guilds = deps.guildCreates();
    dispatchTo(session, "READY", {
      ...deps.readyData(),
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: deps.url(),
      shard,
    });
    for (const guild of guilds) dispatchTo(session, "GUILD_CREATE", guild);
    lifecycle.push({ kind: "ready", session });
  }

  function resume(connection: Connection, d: Record<string, unknown>) {
    const session = sessions.find((s) => s.id === d.session_id && !s.invalid);
    if (!session) return send(connection, { op: op.invalidSession, d: false });
    if (String(d.token).replace(/^Bot /, "") !== deps.token)
      return connection.ws.close(4004, "Authentication failed.");
    const seq = typeof d.seq === "number" ? d.seq : 0;
    if (seq > session.seq) return connection.ws.close(4007, "Invalid seq.");
    if (session.connection && session.connection !== connection) session.connection.ws.terminate();
    session.connection = connection;
    session.paused = false;
    connection.session = session;
    for (const event of session.sent) if (event.s > seq) sendRaw(connection, event.json);
    dispatchTo(session, "RESUMED", { _trace: ["closer-discord-emulator"] }, false);
    lifecycle.push({ kind: "resumed", session });
  }

  function onMessage(connection: Connection, data: RawData) {
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(data.toString()) as Record<string, unknown>;
    } catch {
      return connection.ws.close(4002, "Error while decoding payload.");
    }
    const d = (typeof payload.d === "object" && payload.d !== null ? payload.d : {}) as Record<
      string,
      unknown
    >;
    received.push({ op: Number(payload.op), d: payload.d });
    switch (payload.op) {
      case op.heartbeat:
        return send(connection, { op: op.ack });
      case op.identify:
        return identify(connection, d);
      case op.resume:
        return resume(connection, d);
      case 3:
      case 4:
      case 8:
        // Presence, voice state and member requests: accepted and recorded, nothing more.
        if (!connection.session) connection.ws.close(4003, "Not authenticated.");
        return;
      default:
        connection.ws.close(4001, "Unknown opcode.");
    }
  }

  function accept(ws: WebSocket, query: URLSearchParams) {
    const connection: Connection = { ws, sending: Promise.resolve() };
    connections.add(connection);
    ws.on("close", (code) => {
      connections.delete(connection);
      connection.deflate?.close();
      const { session } = connection;
      if (session?.connection !== connection) return;
      session.connection = undefined;
      // A normal closure (1000/1001) ends the session; other codes leave it resumable.
      if (code === 1000 || code === 1001) session.invalid = true;
    });
    if (query.get("v") !== "10") return ws.close(4012, "Invalid API version.");
    if ((query.get("encoding") ?? "json") !== "json")
      return ws.close(4002, "The emulator speaks encoding=json only.");
    const compress = query.get("compress");
    if (compress === "zlib-stream") connection.deflate = createDeflate();
    else if (compress !== null) return ws.close(4002, `Unsupported compression ${compress}.`);
    ws.on("message", (data) => onMessage(connection, data));
    send(connection, {
      op: op.hello,
      d: { heartbeat_interval: deps.heartbeatIntervalMs, _trace: ["closer-discord-emulator"] },
    });
  }

  /** The newest session that has not ended (it may be between connections). */
  const current = () => sessions.filter((s) => !s.invalid).at(-1);
  const live = () => sessions.filter((s) => !s.invalid && s.connection && !s.paused).at(-1);

  return {
    received,
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (url.pathname !== "/gateway" && url.pathname !== "/gateway/") return false;
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, url.searchParams));
      return true;
    },
    /** Sends a dispatch on the current session (buffered while the client reconnects). */
    dispatch(t: string, d: unknown): boolean {
      const session = current();
      if (!session) return false;
      dispatchTo(session, t, d);
      return true;
    },
    /** Resolves once a session exists, even one between connections (dispatches to it are buffered). */
    async session(timeoutMs: number): Promise<void> {
      if (current()) return;
      await lifecycle.waitForNext(() => current() !== undefined, timeoutMs, "an IDENTIFY'd gateway session");
    },
    async connected(timeoutMs: number): Promise<void> {
      if (live()) return;
      await lifecycle.waitForNext(() => live() !== undefined, timeoutMs, "a READY gateway session");
    },
    async requestReconnect(timeoutMs: number): Promise<void> {
      const session = live();
      if (!session?.connection) throw new Error("Discord emulator: requestReconnect: no connected session");
      const resumed = lifecycle.waitForNext(
        (e) => e.kind === "resumed" && e.session === session,
        timeoutMs,
        "the client to RESUME after op 7 RECONNECT",
      );
      session.paused = true;
      send(session.connection, { op: op.reconnect });
      await resumed;
    },
    close(): void {
      for (const connection of connections) connection.ws.terminate();
      received.cancelAll("closed");
      lifecycle.cancelAll("closed");
      wss.close();
    },
  };
}
