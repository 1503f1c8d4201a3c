import { request } from "node:http";
import { announceWin } from "../../src/announcements/celebration.js";
import { announceKudos } from "../../src/announcements/kudos.js";
import { createFixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { createHttpServer } from "../../src/http/server.js";
import { createMetrics } from "../../src/metrics.js";
import type { OnWin } from "../../src/sales/deals/deal-service.js";
import { createSalesService, type SalesService } from "../../src/sales/sales-service.js";
import { signalWin } from "../../src/web/live/win-signal.js";
import { createWebPages, type WebPagesDeps } from "../../src/web/pages.js";
import { createWaitable, type Waitable } from "../emulators/waitable.js";
import { silentLog } from "../fixtures/sales.js";

/** As main.ts wires it: a win is announced and signalled to the screens in its transaction. */
export const announceAndSignal: OnWin = async (tx, ws, win, at) => {
  await announceWin(tx, ws, win, at);
  await signalWin(tx, ws, win.deal);
};

/** The service as the app builds it, on a test database, with a clock the test moves. */
export function createWebSales(db: Database, now = "2026-11-18T10:00:00Z") {
  const clock = createFixedClock(now);
  return {
    sales: createSalesService({ db: db.prisma, clock, onWin: announceAndSignal, onKudos: announceKudos }),
    clock,
  };
}

export interface WebServer {
  port: number;
  url(path: string): string;
  screens(): number;
  /** The workspaces whose TV boards the pages read as they started. */
  warmed: Promise<number[]>;
  close(): Promise<void>;
}

/** Closer's HTTP server with the web pages mounted, on a free port: one replica. */
export async function startWebServer(
  db: Database,
  sales: SalesService,
  options: Partial<WebPagesDeps> = {},
): Promise<WebServer> {
  const http = createHttpServer({
    port: 0,
    log: silentLog,
    metrics: createMetrics(),
    pingDatabase: async () => 1,
    checks: () => [],
  });
  const web = await createWebPages({ sales, db, log: silentLog, ...options });
  http.mount(web.routes);
  const port = await http.listen();
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    screens: web.screens,
    warmed: web.warmed,
    async close() {
      await web.close();
      await http.close();
    },
  };
}

export interface ServerEvent {
  event: string;
  id: string | undefined;
  data: string;
}

export interface EventClient {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  events: Waitable<ServerEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** A server-sent event client on node:http (as EventSource reads them), for tests without a browser. */
export function openEvents(url: string, headers: Record<string, string> = {}): Promise<EventClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: "text/event-stream", ...headers } }, (res) => {
      const events = createWaitable<ServerEvent>((items) => items.map((e) => e.event).join(", ") || "none");
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) continue;
            const colon = line.indexOf(":");
            fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
          }
          if (fields.has("data")) {
            events.push({
              event: fields.get("event") ?? "message",
              id: fields.get("id"),
              data: fields.get("data") ?? "",
            });
          }
          end = buffer.indexOf("\n\n");
        }
      });
      const ended = new Promise<void>((done) => {
        res.on("end", done);
        res.on("close", done);
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        ended,
        close: () => req.destroy(),
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const TOKEN_IN = /\/(?:tv|dashboard)\/([A-Za-z0-9_-]{43})\b/;

/** The token of the link a `/closer tv` or `/closer dashboard` reply shows. */
export function tokenIn(text: string): string {
  const token = TOKEN_IN.exec(text)?.[1];
  if (!token) throw new Error(`no link in ${text}`);
  return token;
}
