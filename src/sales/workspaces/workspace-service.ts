import { AppError } from "../../errors.js";
import type { Platform } from "../../generated/prisma/enums.js";
import type { Member, SalesDeps, Workspace } from "../deps.js";
import { type Calendar, formatWorkingDays, parseWorkingDays, type Weekday } from "../periods/period.js";
import { assertManager } from "../permissions.js";
import { LOCALES, type Locale } from "./locales.js";
import { parseQuietHours } from "./quiet-hours.js";

/** Configuration keys of `/closer config set`, each with its parser to a column value. */
export const CONFIG_KEYS = [
  "timezone",
  "locale",
  "currency",
  "fiscal_year_start",
  "week_start",
  "working_days",
  "digest_time",
  "digest_days",
  "digest_channel",
  "wins_channel",
  "contest_channel",
  "quiet_hours",
  "manager_role",
  "followup_days",
  "stalled_days",
  "dormant_days",
  "announce.win",
  "announce.milestone",
  "announce.weekly",
  "announce.monthly",
  "announce.digest",
  "announce.reminders",
  "announce.achievements",
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

type Patch = Partial<
  Omit<Workspace, "id" | "platform" | "externalId" | "createdAt" | "updatedAt" | "dealSeq">
>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone.includes("/") || zone === "UTC";
  } catch {
    return false;
  }
}

function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf("currency").includes(code);
}

const dayCount = (max: number) => (v: string) => {
  const n = Number(v);
  return /^\d+$/.test(v) && n >= 1 && n <= max ? n : undefined;
};

/** `on`/`off`, or French `oui`/`non`. */
const onOff = (v: string) =>
  v === "on" || v === "oui" ? true : v === "off" || v === "non" ? false : undefined;
/** A channel as typed (`#wins`, `wins`, an id) or as a mention (Slack `<#C123|wins>`, Discord `<#123>`). */
const channel = (v: string) =>
  /^<#([\w-]{1,80})(?:\|[^>]*)?>$/.exec(v)?.[1] ??
  (/^#?[\w-]{1,80}$/.test(v) ? v.replace(/^#/, "") : undefined);
/** Words that clear an optional setting, en and fr; a channel literally named so is typed `#none`. */
const isUnset = (v: string) => ["none", "off", "aucun", "aucune"].includes(v.toLowerCase());
/** Clears the column on an unset word, else parses the value; undefined when invalid. */
const optional =
  <T>(parse: (v: string) => T | undefined, patch: (value: T | null) => Patch) =>
  (v: string): Patch | undefined => {
    if (isUnset(v)) return patch(null);
    const value = parse(v);
    return value === undefined ? undefined : patch(value);
  };
/** A role mention (`<@&123>`) or id; `-` also clears it, as it always has. */
const role = (v: string) => (v === "-" ? null : /^(?:<@&)?(\d{5,25})>?$/.exec(v)?.[1]);

/** A time-zone change rebuilds the workspace's kept figures: seconds for a million deals. */
const REBUILD = { timeout: 5 * 60_000, maxWait: 60_000 };

/** Parses a config value; undefined when invalid. Keys map to the Workspace column they set. */
const CONFIG_PARSERS: Record<ConfigKey, (value: string) => Patch | undefined> = {
  timezone: (v) => (isTimeZone(v) ? { timezone: v } : undefined),
  locale: (v) => ((LOCALES as readonly string[]).includes(v) ? { locale: v } : undefined),
  currency: (v) => (isCurrency(v.toUpperCase()) ? { currency: v.toUpperCase() } : undefined),
  fiscal_year_start: (v) => {
    const m = dayCount(12)(v);
    return m ? { fiscalYearStart: m } : undefined;
  },
  week_start: (v) => {
    const day = ({ lundi: "monday", dimanche: "sunday" } as Record<string, string>)[v] ?? v;
    return day === "monday" || day === "sunday" ? { weekStart: day } : undefined;
  },
  working_days: (v) => {
    const days = parseWorkingDays(v);
    return days ? { workingDays: formatWorkingDays(days) } : undefined;
  },
  digest_time: (v) => (/^([01]\d|2[0-3]):[0-5]\d$/.test(v) ? { digestTime: v } : undefined),
  digest_days: (v) => {
    if (v === "working" || v === "ouvrés" || v === "ouvres") return { digestDays: null };
    const days = parseWorkingDays(v);
    return days ? { digestDays: formatWorkingDays(days) } : undefined;
  },
  digest_channel: optional(channel, (c) => ({ digestChannel: c })),
  wins_channel: optional(channel, (c) => ({ winsChannel: c })),
  contest_channel: optional(channel, (c) => ({ contestChannel: c })),
  quiet_hours: optional(parseQuietHours, (q) => ({ quietHours: q })),
  manager_role: optional(role, (r) => ({ managerRole: r })),
  followup_days: (v) => {
    const n = dayCount(365)(v);
    return n ? { followupDays: n } : undefined;
  },
  stalled_days: (v) => {
    const n = dayCount(365)(v);
    return n ? { stalledDays: n } : undefined;
  },
  dormant_days: (v) => {
    const n = dayCount(3650)(v);
    return n ? { dormantDays: n } : undefined;
  },
  "announce.win": (v) => withBool(v, (b) => ({ announceWin: b })),
  "announce.milestone": (v) => withBool(v, (b) => ({ announceMilestone: b })),
  "announce.weekly": (v) => withBool(v, (b) => ({ announceWeekly: b })),
  "announce.monthly": (v) => withBool(v, (b) => ({ announceMonthly: b })),
  "announce.digest": (v) => withBool(v, (b) => ({ announceDigest: b })),
  "announce.reminders": (v) => withBool(v, (b) => ({ announceReminders: b })),
  "announce.achievements": (v) => withBool(v, (b) => ({ announceAchievements: b })),
};

function withBool(v: string, patch: (b: boolean) => Patch): Patch | undefined {
  const b = onOff(v);
  return b === undefined ? undefined : patch(b);
}

export function isConfigKey(key: string): key is ConfigKey {
  return (CONFIG_KEYS as readonly string[]).includes(key);
}

/** The value of a config key as the user would type it; undefined when unset (the caller words it). */
export function configValue(ws: Workspace, key: ConfigKey): string | undefined {
  const onOffOf = (b: boolean) => (b ? "on" : "off");
  switch (key) {
    case "timezone":
      return ws.timezone;
    case "locale":
      return ws.locale;
    case "currency":
      return ws.currency;
    case "fiscal_year_start":
      return String(ws.fiscalYearStart);
    case "week_start":
      return ws.weekStart;
    case "working_days":
      return ws.workingDays;
    case "digest_time":
      return ws.digestTime;
    case "digest_days":
      return ws.digestDays ?? "working";
    case "digest_channel":
      return ws.digestChannel ?? undefined;
    case "wins_channel":
      return ws.winsChannel ?? undefined;
    case "contest_channel":
      return ws.contestChannel ?? undefined;
    case "quiet_hours":
      return ws.quietHours ?? undefined;
    case "manager_role":
      return ws.managerRole ?? undefined;
    case "followup_days":
      return String(ws.followupDays);
    case "stalled_days":
      return String(ws.stalledDays);
    case "dormant_days":
      return String(ws.dormantDays);
    case "announce.win":
      return onOffOf(ws.announceWin);
    case "announce.milestone":
      return onOffOf(ws.announceMilestone);
    case "announce.weekly":
      return onOffOf(ws.announceWeekly);
    case "announce.monthly":
      return onOffOf(ws.announceMonthly);
    case "announce.digest":
      return onOffOf(ws.announceDigest);
    case "announce.reminders":
      return onOffOf(ws.announceReminders);
    case "announce.achievements":
      return onOffOf(ws.announceAchievements);
  }
}

/** Where contests are announced: the contest channel, or else the wins channel; null: nowhere. */
export function contestChannelOf(ws: Workspace): string | null {
  return ws.contestChannel ?? ws.winsChannel;
}

export function localeOf(ws: Workspace): Locale {
  return ws.locale === "fr" ? "fr" : "en";
}

export function calendarOf(ws: Workspace): Calendar {
  return {
    timezone: ws.timezone,
    weekStart: ws.weekStart === "sunday" ? "sunday" : "monday",
    fiscalYearStart: ws.fiscalYearStart,
  };
}

export function workingDaysOf(ws: Workspace): Set<Weekday> {
  return parseWorkingDays(ws.workingDays) ?? new Set<Weekday>([1, 2, 3, 4, 5]);
}

/** The days the digest goes out: its own setting, or the working days. */
export function digestDaysOf(ws: Workspace): Set<Weekday> {
  return (ws.digestDays && parseWorkingDays(ws.digestDays)) || workingDaysOf(ws);
}

export interface WorkspaceIdentity {
  platform: Platform;
  externalId: string;
  name: string;
  timezone?: string | undefined;
  locale?: Locale | undefined;
  /** Channels a new workspace starts with (the shell has `#wins` and `#digest`). */
  winsChannel?: string | undefined;
  digestChannel?: string | undefined;
}

/** The unique key of a team's workspace. */
function teamKey(identity: WorkspaceIdentity) {
  return { platform_externalId: { platform: identity.platform, externalId: identity.externalId } };
}

export function createWorkspaceService({ db, clock }: SalesDeps) {
  /** Creates a team's workspace; one another request creates at the same moment is read. */
  async function newWorkspace(identity: WorkspaceIdentity): Promise<Workspace> {
    const [created] = await db.workspace.createManyAndReturn({
      data: {
        platform: identity.platform,
        externalId: identity.externalId,
        name: identity.name,
        timezone: identity.timezone && isTimeZone(identity.timezone) ? identity.timezone : "UTC",
        locale: identity.locale ?? "en",
        winsChannel: identity.winsChannel ?? null,
        digestChannel: identity.digestChannel ?? null,
      },
      skipDuplicates: true,
    });
    // Skipped: another request created it; this new statement sees its committed row.
    return created ?? db.workspace.findUniqueOrThrow({ where: teamKey(identity) });
  }

  return {
    /**
     * The workspace of a platform team, created on first use. The insert skips a conflict on the
     * team's key, so a team's first users arriving together create one workspace and all read it.
     */
    async ensureWorkspace(identity: WorkspaceIdentity): Promise<Workspace> {
      const existing = await db.workspace.findUnique({ where: teamKey(identity) });
      return existing ?? newWorkspace(identity);
    },

    /** A workspace the caller just found missing (`identify`'s path for a new team). */
    newWorkspace,

    async getWorkspace(id: number): Promise<Workspace> {
      const ws = await db.workspace.findUnique({ where: { id } });
      if (!ws) throw new AppError("not_found", "error.workspace_not_found");
      return ws;
    },

    /** Sets one configuration key; managers and admins only. */
    async setConfig(ws: Workspace, actor: Member, key: string, value: string): Promise<Workspace> {
      assertManager(ws, actor);
      if (!isConfigKey(key))
        throw new AppError("invalid_input", "error.config_key", { key, keys: CONFIG_KEYS.join(", ") });
      const patch = CONFIG_PARSERS[key](value.trim());
      if (!patch) throw new AppError("invalid_input", `config.invalid.${key}`, { value });
      if (key === "quiet_hours") {
        return db.$transaction(async (tx) => {
          // What the old quiet hours hold is due now: the dispatcher holds it again if the new ones say so.
          await tx.outbox.updateMany({
            where: { workspaceId: ws.id, status: "pending", quietUntil: { gt: clock.now() } },
            data: { nextAttemptAt: clock.now() },
          });
          return tx.workspace.update({ where: { id: ws.id }, data: patch });
        });
      }
      if (patch.timezone === undefined || patch.timezone === ws.timezone)
        return db.workspace.update({ where: { id: ws.id }, data: patch });
      // Another zone moves deals to other local days and months: the figures kept per day and month
      // are computed again in the same transaction (docs/architecture.md §3).
      return db.$transaction(async (tx) => {
        const updated = await tx.workspace.update({ where: { id: ws.id }, data: patch });
        await tx.$executeRaw`SELECT figure_rebuild(${ws.id}::int)`;
        return updated;
      }, REBUILD);
    },
  };
}

export type WorkspaceService = ReturnType<typeof createWorkspaceService>;
