import type { ServerResponse } from "node:http";

/** One open screen: a server-sent event stream on a Node response. */
export interface EventStream {
  /** Sends one event; `data` is one line (JSON). Nothing once the stream has ended. */
  send(event: string, id: string | undefined, data: string): void;
  /** Ends the stream (the link was revoked, or the server is closing). */
  close(): void;
  readonly closed: boolean;
}

/** Proxies close a connection idle for a minute or so (nginx: 60 s); a comment every 15 s keeps it open. */
export const HEARTBEAT_MS = 15_000;

/** How long EventSource waits before reconnecting after losing the stream. */
const RETRY_MS = 2000;

/**
 * Starts a server-sent event stream on `res`, with `headers`: a `retry` hint, then a heartbeat
 * comment every `heartbeatMs`. `onClose` runs once, when the client goes or `close` is called.
 */
export function openEventStream(
  res: ServerResponse,
  headers: Record<string, string>,
  onClose: () => void,
  heartbeatMs = HEARTBEAT_MS,
): EventStream {
  res.writeHead(200, {
    ...headers,
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-store",
    Connection: "keep-alive",
    // nginx would otherwise hold events back in its buffer.
    "X-Accel-Buffering": "no",
  });
  res.write(`retry: ${RETRY_MS}\n\n`);
  let closed = false;
  const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), heartbeatMs);
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    onClose();
  };
  res.on("close", finish);
  res.on("error", finish);
  return {
    send(event, id, data) {
      if (closed) return;
      res.write(`event: ${event}\n${id === undefined ? "" : `id: ${id}\n`}data: ${data}\n\n`);
    },
    close() {
      if (!res.writableEnded) res.end();
      finish();
    },
    get closed() {
      return closed;
    },
  };
}
