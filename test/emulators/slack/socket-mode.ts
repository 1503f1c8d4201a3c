import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import { createWaitable } from "../waitable.js";
import type { SocketAck, SocketEnvelopeOptions } from "./types.js";

export type EnvelopeType = "slash_commands" | "interactive" | "events_api";

const debugInfo = { host: "applink-emulator", build_number: 1, approximate_connection_time: 18060 };

/**
 * Slack's Socket Mode side: URLs handed out by apps.connections.open are single-use tickets; on
 * connect the server says hello, then sends envelopes and waits for `{ envelope_id, payload }` acks.
 */
export function createSocketMode(deps: { appId: string; baseUrl: () => string }) {
  const wss = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const connections = createWaitable<WebSocket>((items) => `${items.length} connection(s) so far`);
  const acks = createWaitable<{ seq: number; ack: SocketAck }>((items) => `acks: ${JSON.stringify(items)}`);
  let issued = 0;

  const isOpen = (ws: WebSocket) => ws.readyState === WebSocket.OPEN;
  const openSockets = () => connections.items.filter(isOpen);

  function openUrl(): string {
    issued += 1;
    tickets.add(String(issued));
    return `${deps.baseUrl().replace(/^http/, "ws")}/socket/${issued}`;
  }

  function accept(ws: WebSocket): void {
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (typeof message === "object" && message !== null && "envelope_id" in message) {
        acks.push({ seq: acks.items.length, ack: message as SocketAck });
      }
    });
    const hello = {
      type: "hello",
      num_connections: openSockets().length + 1,
      debug_info: debugInfo,
      connection_info: { app_id: deps.appId },
    };
    ws.send(JSON.stringify(hello), () => connections.push(ws));
  }

  function connected(timeoutMs: number): Promise<WebSocket> {
    const latest = openSockets().at(-1);
    if (latest) return Promise.resolve(latest);
    return connections.waitFor(isOpen, timeoutMs, "a Socket Mode connection");
  }

  return {
    openUrl,
    connected,
    /** Handles an HTTP upgrade; returns false when the path is not a Socket Mode path. */
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
      const ticket = /^\/socket\/(\d+)$/.exec(new URL(req.url ?? "/", "http://127.0.0.1").pathname)?.[1];
      if (ticket === undefined) return false;
      if (!tickets.delete(ticket)) {
        socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return true;
      }
      wss.handleUpgrade(req, socket, head, accept);
      return true;
    },
    async send(
      type: EnvelopeType,
      payload: Record<string, unknown>,
      opts: SocketEnvelopeOptions,
      connectTimeoutMs: number,
    ): Promise<SocketAck> {
      const ws = await connected(connectTimeoutMs);
      const envelopeId = opts.envelopeId ?? randomUUID();
      const envelope = {
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== "events_api",
        ...(type === "events_api"
          ? { retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryReason ?? "" }
          : {}),
      };
      // Only acks that arrive after this send count, so a re-sent envelope id waits for a new ack.
      const after = acks.items.length;
      const acked = acks.waitFor(
        (a) => a.seq >= after && a.ack.envelope_id === envelopeId,
        opts.timeoutMs ?? 5000,
        `the ack of ${type} envelope ${envelopeId}`,
      );
      ws.send(JSON.stringify(envelope));
      return (await acked).ack;
    },
    /** Asks connected clients to reconnect, as Slack does before recycling a connection. */
    disconnect(reason: string): void {
      for (const ws of openSockets())
        ws.send(JSON.stringify({ type: "disconnect", reason, debug_info: debugInfo }));
    },
    /** Closes connections politely (1001), waiting up to `graceMs` for the handshakes, then drops the rest. */
    async close(graceMs = 1000): Promise<void> {
      const live = connections.items.filter((ws) => ws.readyState !== WebSocket.CLOSED);
      const closed = Promise.all(
        live.map((ws) => new Promise<void>((resolve) => ws.once("close", () => resolve()))),
      );
      for (const ws of live) if (isOpen(ws)) ws.close(1001, "emulator closing");
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      for (const ws of connections.items) ws.terminate();
      connections.cancelAll("closed");
      acks.cancelAll("closed");
      wss.close();
    },
  };
}
