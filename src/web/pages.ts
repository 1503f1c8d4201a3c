import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Database } from "../db/client.js";
import type { HttpContext, Route } from "../http/server.js";
import type { Logger } from "../logger.js";
import { type Speaker, speakerFor } from "../messages/speaker.js";
import type { Workspace } from "../sales/deps.js";
import type { ResolvedLink, ViewLinkKind } from "../sales/links/link-service.js";
import type { SalesService } from "../sales/sales-service.js";
import { type Assets, loadAssets } from "./assets.js";
import { dashboardBody } from "./dashboard/dashboard-body.js";
import { dashboardView } from "./dashboard/dashboard-view.js";
import { ASSET_CACHE, type HeaderOptions, securityHeaders, TOKEN_PAGE_CACHE } from "./headers.js";
import { type Html, pageDocument } from "./layout.js";
import { openEventStream } from "./live/event-stream.js";
import { createScreenRegistry } from "./live/screens.js";
import { parseWinSignal, WIN_CHANNEL, type WinSignal } from "./live/win-signal.js";
import { boardMarkup, celebrationOf, type TvScreenOptions, tvBody } from "./tv/tv-body.js";

export interface WebPagesDeps {
  sales: SalesService;
  db: Pick<Database, "listen">;
  log: Logger;
  headers?: HeaderOptions;
  assets?: Assets;
  tv?: TvScreenOptions;
  /** Between heartbeat comments on the event streams (default 15 s). */
  heartbeatMs?: number;
}

export interface WebPages {
  routes: Route[];
  /** How many screens are connected to this process. */
  screens(): number;
  /** Ends every event stream and stops listening for wins: before the HTTP server closes. */
  close(): Promise<void>;
  /** Resolves once the TV boards read at start (see {@link TV_WARM_UP}) are read: their workspaces' ids. */
  warmed: Promise<number[]>;
}

/**
 * As the pages start, the boards of the workspaces with the most recently created TV links (at most
 * this many) are read once and dropped, so that the first screen after a restart finds the
 * database's connections open, Prisma's queries prepared and the deals' index pages in memory: on
 * 1,000,000 deals that first read took ten times a later one (bench/RESULTS.md, `bench/tv`).
 */
export const TV_WARM_UP = 20;

/** A board rendered for a workspace is reused this long by screens connecting at once. */
const BOARD_REUSE_MS = 1000;

/**
 * The web pages on Closer's HTTP server: `/tv/:token` and its live `/tv/:token/events`,
 * `/dashboard/:token`, and `/assets/:file`. A token that is unknown, revoked, expired or of the
 * other kind gets the server's own 404, as a missing page does. Wins reach the screens through the
 * database's notifications (`LISTEN closer_wins`), so a win on any replica reaches them all.
 */
export async function createWebPages(deps: WebPagesDeps): Promise<WebPages> {
  const { sales, log } = deps;
  const assets = deps.assets ?? loadAssets();
  const headers = securityHeaders(deps.headers);
  const screens = createScreenRegistry();
  const boards = new Map<number, { at: number; clock: number; settings: number; markup: Promise<string> }>();

  /**
   * The board's markup for a workspace, rendered once for every screen asking within a second, as
   * long as the workspace's settings (its language, currency, calendar) have not changed meanwhile,
   * nor the service's clock moved further (a board holds countdowns, and which contests show).
   */
  function boardOf(ws: Workspace, s: Speaker, fresh = false): Promise<string> {
    const cached = boards.get(ws.id);
    const settings = ws.updatedAt.getTime();
    const clock = sales.clock.now().getTime();
    if (
      !fresh &&
      cached &&
      cached.settings === settings &&
      Date.now() - cached.at < BOARD_REUSE_MS &&
      Math.abs(clock - cached.clock) < BOARD_REUSE_MS
    )
      return cached.markup;
    const rendered = sales.links.tvBoard(ws).then((b) => boardMarkup(s, b).toString());
    boards.set(ws.id, { at: Date.now(), clock, settings, markup: rendered });
    rendered.catch(() => boards.delete(ws.id));
    return rendered;
  }

  async function fanOut(signal: WinSignal): Promise<void> {
    const open = screens.of(signal.workspace);
    if (open.length === 0) return;
    const ws = await sales.workspaces.getWorkspace(signal.workspace);
    const s = speakerFor(ws);
    const [working, board, deal] = await Promise.all([
      sales.links.workingLinkIds(
        ws,
        open.map((o) => o.linkId),
        sales.clock.now(),
      ),
      boardOf(ws, s, true),
      sales.deals.getDeal(ws, signal.number),
    ]);
    const data = JSON.stringify({ board, celebration: celebrationOf(s, deal) });
    for (const screen of open) {
      // A revoked link's screen goes blank: its stream ends, and reconnecting gets a 404.
      if (working.has(screen.linkId)) screen.stream.send("win", String(signal.deal), data);
      else screen.stream.close();
    }
  }

  const unlisten = await deps.db.listen(
    WIN_CHANNEL,
    (payload) => {
      const signal = parseWinSignal(payload);
      if (signal) fanOut(signal).catch((err: unknown) => log.error({ err }, "win not sent to screens"));
    },
    (err) => log.warn({ err }, "listening for wins: connection lost, reconnecting"),
  );

  async function linkOf(c: HttpContext, kind: ViewLinkKind): Promise<ResolvedLink | undefined> {
    const link = await sales.links.resolve(c.req.param("token") ?? "", sales.clock.now());
    return link?.kind === kind ? link : undefined;
  }

  const page = (c: HttpContext, document: Html) =>
    c.html(document.toString(), 200, { ...headers, "Cache-Control": TOKEN_PAGE_CACHE });

  const routes: Route[] = [
    {
      method: "GET",
      path: "/tv/:token",
      async handler(c) {
        const link = await linkOf(c, "tv");
        if (!link) return c.notFound();
        const ws = link.workspace;
        const s = speakerFor(ws);
        const board = await sales.links.tvBoard(ws);
        return page(
          c,
          pageDocument(assets, {
            locale: s.locale,
            title: s.t("tv.title", { workspace: ws.name }),
            body: tvBody(ws, s, board, deps.tv),
            scripts: ["tv.js"],
          }),
        );
      },
    },
    {
      method: "GET",
      path: "/tv/:token/events",
      async handler(c) {
        const link = await linkOf(c, "tv");
        if (!link) return c.notFound();
        const ws = link.workspace;
        let remove = () => {};
        const stream = openEventStream(c.env.outgoing, headers, () => remove(), deps.heartbeatMs);
        remove = screens.add(ws.id, { linkId: link.id, stream });
        // The board as it is now: a screen reconnecting (Last-Event-ID) catches up on what it missed,
        // and one just opened on a win that came between its page and its stream.
        const board = await boardOf(ws, speakerFor(ws));
        stream.send("board", undefined, JSON.stringify({ board }));
        return RESPONSE_ALREADY_SENT;
      },
    },
    {
      method: "GET",
      path: "/dashboard/:token",
      async handler(c) {
        const link = await linkOf(c, "dashboard");
        if (!link) return c.notFound();
        const scope = link.team ? { scope: "team" as const, team: link.team } : { scope: "company" as const };
        const view = await dashboardView(sales, link.workspace, scope, c.req.query("period"));
        const s = speakerFor(link.workspace);
        return page(
          c,
          pageDocument(assets, {
            locale: s.locale,
            title: `${s.t("dashboard.title")} · ${view.scopeName}`,
            body: await dashboardBody(view),
            styles: ["dashboard.css"],
          }),
        );
      },
    },
    {
      method: "GET",
      path: "/assets/:file",
      handler(c) {
        const asset = assets.find(c.req.param("file") ?? "");
        if (!asset) return c.notFound();
        return c.body(new Uint8Array(asset.body), 200, {
          ...headers,
          "Content-Type": asset.type,
          "Cache-Control": ASSET_CACHE,
        });
      },
    },
  ];

  async function warmUp(): Promise<number[]> {
    const ids = await sales.links.tvWorkspaceIds(sales.clock.now(), TV_WARM_UP);
    for (const id of ids) await sales.links.tvBoard(await sales.workspaces.getWorkspace(id));
    return ids;
  }
  const warmed = warmUp().catch((err: unknown) => {
    log.warn({ err }, "TV boards not read at start");
    return [];
  });

  return {
    routes,
    warmed,
    screens: () => screens.size,
    async close() {
      await warmed;
      await unlisten();
      screens.closeAll();
    },
  };
}
