import { z } from "zod";
import { Prisma } from "../generated/prisma/client.js";
import type { Platform } from "../generated/prisma/enums.js";
import { LOCALES } from "../messages/i18n.js";
import { MAX_CHARTS, type Reply } from "../messages/reply.js";
import type { Db, Workspace } from "../sales/deps.js";

export const NOTIFICATION_KINDS = [
  "win",
  "digest",
  "award",
  "reminders",
  "contest",
  "kudos",
  "achievement",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Kinds that keep their time through the workspace's quiet hours even in a channel: the digest goes
 * out when it was set to. Every other channel post waits (docs/decisions.md, "Quiet hours").
 */
export const QUIET_HOURS_EXEMPT_KINDS: readonly string[] = ["digest"];

/** Whether quiet hours hold a notification: a channel post not exempt; a DM never. */
export function heldByQuietHours(kind: string, destination: string): boolean {
  return destination.startsWith("#") && !QUIET_HOURS_EXEMPT_KINDS.includes(kind);
}

/**
 * Posts that, held by quiet hours for one channel, go out as one message, by their dedupe key's
 * prefix; each prefix merges only with its own. Adding a kind is one line.
 */
export const MERGEABLE_KEY_PREFIXES: readonly string[] = [
  "win:", // win celebrations: "While you were away: 3 posts", one bullet each
  "achievement:", // achievements earned in the night, one message
  "kudos:", // thanks given in the night, one message
];

/** The mergeable prefix of a dedupe key, or undefined when its post always goes alone. */
export function mergeablePrefix(key: string): string | undefined {
  return MERGEABLE_KEY_PREFIXES.find((prefix) => key.startsWith(prefix));
}

/** At most this many held posts in one merged message: it stays readable, within every platform's limits. */
export const MAX_MERGED = 20;

/**
 * Where a notification goes: `#<channel id or name>` or `@<platform user id>` (a direct message).
 * The shell prints it as `[#wins]` or `[dm @alice]`.
 */
export type Destination = `#${string}` | `@${string}`;

export const channelOf = (id: string): Destination => `#${id}`;
export const dmOf = (platformUserId: string): Destination => `@${platformUserId}`;

/** A message to post, with the deterministic key that makes it happen once. */
export interface Notification {
  key: string;
  kind: NotificationKind;
  destination: Destination;
  reply: Reply;
}

/** A chart as an outbox row stores it (`ChartSpec`): checked again when read, like the rest of the reply. */
const ChartPayload = z.object({
  kind: z.enum(["line", "bar"]),
  horizontal: z.boolean().optional(),
  title: z.string(),
  locale: z.enum(LOCALES),
  unit: z.union([z.object({ currency: z.string() }), z.literal("count"), z.literal("ratio")]),
  labels: z.array(z.string()),
  series: z.array(
    z.object({ name: z.string(), values: z.array(z.number().nullable()), dashed: z.boolean().optional() }),
  ),
  target: z.object({ label: z.string(), value: z.number() }).optional(),
});

const ReplyPayload = z.object({
  visibility: z.enum(["ephemeral", "public"]),
  tone: z.enum(["normal", "error"]).optional(),
  locale: z.enum(LOCALES).optional(),
  title: z.string().optional(),
  lines: z.array(z.string()),
  fields: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
  table: z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.string())) }).optional(),
  charts: z.array(ChartPayload).max(MAX_CHARTS).optional(),
});

/** The reply stored in an outbox row, or undefined when it is not one (the row then fails for good). */
export function payloadReply(payload: unknown): Reply | undefined {
  const parsed = ReplyPayload.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Writes notifications into the outbox through `db` (the transaction of the change that causes
 * them). A key already there is skipped, so a retried job or a second replica adds nothing.
 * Returns how many rows were new.
 */
export async function enqueue(
  db: Db,
  ws: Workspace,
  notifications: Notification[],
  now: Date,
): Promise<number> {
  if (notifications.length === 0) return 0;
  const { count } = await db.outbox.createMany({
    data: notifications.map((n) => ({
      workspaceId: ws.id,
      dedupeKey: n.key,
      kind: n.kind,
      destination: n.destination,
      payload: n.reply as unknown as Prisma.InputJsonValue,
      createdAt: now,
      nextAttemptAt: now,
    })),
    skipDuplicates: true,
  });
  return count;
}

/** Rows waiting to be delivered, per platform: what `/metrics` shows as `closer_outbox_pending`. */
export async function pendingByPlatform(db: Db): Promise<Partial<Record<Platform, number>>> {
  const rows = await db.$queryRaw<{ platform: Platform; pending: number }[]>(Prisma.sql`
    SELECT w.platform, count(*)::int AS pending
    FROM outbox o JOIN workspace w ON w.id = o.workspace_id
    WHERE o.status = 'pending'
    GROUP BY w.platform`);
  return Object.fromEntries(rows.map((r) => [r.platform, r.pending]));
}
