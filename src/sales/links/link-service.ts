import { createHash, randomBytes } from "node:crypto";
import type { Member, SalesDeps, Team, Workspace } from "../deps.js";
import { assertAdmin, assertManager } from "../permissions.js";
import { readTvBoard, type TvBoard } from "./tv-board.js";

export type ViewLinkKind = "tv" | "dashboard";

/** A link that opens a page, as `resolve` finds it: its workspace, and a dashboard's team (null: everyone). */
export interface ResolvedLink {
  id: number;
  kind: ViewLinkKind;
  workspace: Workspace;
  team: Team | null;
  expiresAt: Date | null;
}

/** A link just created: its address (the token in it is shown once, never stored), and when it stops working. */
export interface CreatedLink {
  url: string;
  token: string;
  expiresAt: Date | null;
}

export interface LinkServiceDeps extends SalesDeps {
  /** Where people open the pages (`PUBLIC_URL`), without a trailing slash. */
  publicUrl?: string | undefined;
}

/** The address pages are at when none is configured: Closer's default port, on this machine. */
export const DEFAULT_PUBLIC_URL = "http://localhost:3000";

/** A dashboard link works for 30 days from its creation; a TV link until it is revoked. */
export const DASHBOARD_LINK_DAYS = 30;

/** 32 random bytes: what an attacker would have to guess, far beyond any number of tries. */
const TOKEN_BYTES = 32;

/** base64url of 32 bytes: 43 characters of [A-Za-z0-9_-]; anything else is no token of ours. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** What the database keeps of a token: its SHA-256, so neither a backup nor a log line opens a page. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function createLinkService({ db, clock, publicUrl = DEFAULT_PUBLIC_URL }: LinkServiceDeps) {
  async function create(
    ws: Workspace,
    actor: Member,
    kind: ViewLinkKind,
    teamId: number | null,
    expiresAt: Date | null,
  ): Promise<CreatedLink> {
    const token = randomBytes(TOKEN_BYTES).toString("base64url");
    await db.viewLink.create({
      data: {
        workspaceId: ws.id,
        kind,
        createdById: actor.id,
        teamId,
        tokenHash: tokenHash(token),
        createdAt: clock.now(),
        expiresAt,
      },
    });
    return { url: `${publicUrl}/${kind}/${token}`, token, expiresAt };
  }

  return {
    /** What the TV screen of a workspace shows now (see {@link readTvBoard}). */
    tvBoard: (ws: Workspace, at?: Date): Promise<TvBoard> => readTvBoard(db, clock, ws, at),

    /** A new read-only link to the workspace's TV screen, for admins; it lasts until revoked. */
    async createTvLink(ws: Workspace, actor: Member): Promise<CreatedLink> {
      assertAdmin(ws, actor);
      return create(ws, actor, "tv", null, null);
    },

    /** Ends every TV link of the workspace (admins); returns how many were still working. */
    async revokeTvLinks(ws: Workspace, actor: Member): Promise<number> {
      assertAdmin(ws, actor);
      const { count } = await db.viewLink.updateMany({
        where: { workspaceId: ws.id, kind: "tv", revokedAt: null },
        data: { revokedAt: clock.now() },
      });
      return count;
    },

    /**
     * A dashboard link for 30 days: a manager's shows their team (everyone when they lead none, as
     * they manage everyone then); an admin's the whole workspace.
     */
    async createDashboardLink(ws: Workspace, actor: Member): Promise<CreatedLink & { team: Team | null }> {
      assertManager(ws, actor);
      // The team they lead now, not when their request was read.
      const current = await db.member.findFirst({ where: { id: actor.id, workspaceId: ws.id } });
      const teamId = actor.role === "admin" ? null : (current?.teamId ?? null);
      const team =
        teamId === null ? null : await db.team.findFirst({ where: { id: teamId, workspaceId: ws.id } });
      const expiresAt = new Date(clock.now().getTime() + DASHBOARD_LINK_DAYS * 86_400_000);
      return { ...(await create(ws, actor, "dashboard", team?.id ?? null, expiresAt)), team };
    },

    /** The workspaces with a TV link working at `now`, the most recently linked first, at most `limit`. */
    async tvWorkspaceIds(now: Date, limit: number): Promise<number[]> {
      const rows = await db.viewLink.groupBy({
        by: ["workspaceId"],
        where: { kind: "tv", revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        _max: { createdAt: true },
        // Links made the same instant: the newer workspace first.
        orderBy: [{ _max: { createdAt: "desc" } }, { workspaceId: "desc" }],
        take: limit,
      });
      return rows.map((r) => r.workspaceId);
    },

    /** Of the given links of a workspace, those still working at `now` (not revoked, not expired). */
    async workingLinkIds(ws: Workspace, ids: readonly number[], now: Date): Promise<Set<number>> {
      if (ids.length === 0) return new Set();
      const rows = await db.viewLink.findMany({
        where: {
          workspaceId: ws.id,
          id: { in: [...new Set(ids)] },
          revokedAt: null,
          OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
        },
        select: { id: true },
      });
      return new Set(rows.map((r) => r.id));
    },

    /**
     * The link a token opens at `now`, or undefined for a token that is unknown, revoked or expired
     * alike: a page answers all three with the same 404.
     */
    async resolve(token: string, now: Date): Promise<ResolvedLink | undefined> {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const link = await db.viewLink.findUnique({
        where: { tokenHash: tokenHash(token) },
        include: { workspace: true },
      });
      if (!link || link.revokedAt !== null || (link.expiresAt !== null && link.expiresAt <= now)) {
        return undefined;
      }
      const team =
        link.teamId === null
          ? null
          : await db.team.findFirst({ where: { id: link.teamId, workspaceId: link.workspaceId } });
      // A team since deleted shows nobody: never the whole workspace in its place.
      if (link.teamId !== null && team === null) return undefined;
      return { id: link.id, kind: link.kind, workspace: link.workspace, team, expiresAt: link.expiresAt };
    },
  };
}

export type LinkService = ReturnType<typeof createLinkService>;
