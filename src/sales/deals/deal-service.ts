import { AppError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import { nameKey } from "../customers/name-key.js";
import type { Deal, LostReason, Member, SalesDeps, Stage, Tx, Workspace } from "../deps.js";
import { goalReader, recordMilestones, type WinProgress } from "../goals/goal-service.js";
import { addWorkingDays, localDate, startOfLocalDate } from "../periods/period.js";
import { assertCanChangeDeal, assertInWorkspace } from "../permissions.js";
import { workingDaysOf } from "../workspaces/workspace-service.js";
import { insertDeal, type NewDeal } from "./deal-insert.js";
import { createDealReads, type DealView, findDeal, withParties } from "./deal-reads.js";
import { DEFAULT_PROBABILITY, isOpenStage } from "./stages.js";

export type { DealDetail, DealView } from "./deal-reads.js";

export interface LogDealInput {
  amount: bigint;
  customer: string;
  stage?: Stage | undefined;
  source?: string | undefined;
  /** Expected close date, YYYY-MM-DD in the workspace zone. */
  closeDate?: string | undefined;
  title?: string | undefined;
  owner?: Member | undefined;
  probability?: number | undefined;
  /** Platform request id: the same key logs one deal however often it is delivered. */
  idempotencyKey?: string | undefined;
}

export interface WinDealInput {
  amount?: bigint | undefined;
  /** Close date YYYY-MM-DD in the workspace zone; today when absent; never in the future. */
  closedOn?: string | undefined;
  note?: string | undefined;
}

/** A won deal and what it did to its owner's, team's and company's goals, read once, in the win's transaction. */
export interface Win extends WinProgress {
  deal: DealView;
}

/**
 * Called inside the transaction that wins a deal (by `/deal won`, or logged won), with the win; what
 * it writes commits or rolls back with the win. The caller announces wins through it.
 */
export type OnWin = (tx: Tx, ws: Workspace, win: Win, at: Date) => Promise<void>;

export interface DealServiceDeps extends SalesDeps {
  onWin: OnWin;
}

/** The instant a deal closed on a local date: now for today, noon local for an earlier day. */
function closedAtFor(ws: Workspace, closedOn: string | undefined, now: Date): Date {
  const today = localDate(now, ws.timezone);
  if (!closedOn || closedOn === today) return now;
  if (closedOn > today) throw new AppError("invalid_input", "error.closed_in_future", { date: closedOn });
  return new Date(startOfLocalDate(closedOn, ws.timezone).getTime() + 12 * 3600_000);
}

/** A unique key violated, through Prisma's queries (P2002) or raw SQL (P2010, the driver's SQLSTATE 23505). */
function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const cause = (error.meta?.driverAdapterError as { cause?: { originalCode?: string } } | undefined)?.cause;
  return error.code === "P2002" || (error.code === "P2010" && cause?.originalCode === "23505");
}

/** The advisory lock class under which a workspace's wins take turns ("WINS" in ASCII). */
const WIN_LOCK = 0x57494e53;

export function createDealService({ db, clock, onWin }: DealServiceDeps) {
  /**
   * Loads a deal for change inside `tx`, checking that `actor` may change it. Its row stays locked
   * until `tx` ends, so changes to one deal take turns and each reads what the one before wrote.
   */
  async function dealToChange(tx: Tx, ws: Workspace, actor: Member, number: number): Promise<DealView> {
    await tx.$executeRaw`SELECT 1 FROM deal WHERE workspace_id = ${ws.id} AND number = ${number} FOR UPDATE`;
    const deal = await findDeal(tx, ws, number);
    assertCanChangeDeal(ws, actor, deal.owner);
    return deal;
  }

  async function appendEvent(
    tx: Tx,
    ws: Workspace,
    deal: Deal,
    actor: Member,
    event: Omit<Prisma.DealEventUncheckedCreateInput, "workspaceId" | "dealId" | "actorId" | "at">,
    at: Date,
  ) {
    await tx.dealEvent.create({
      data: { ...event, workspaceId: ws.id, dealId: deal.id, actorId: actor.id, at },
    });
  }

  /** Closes a deal (won or lost) in one transaction, which `finish` completes. */
  async function close<R>(
    ws: Workspace,
    actor: Member,
    number: number,
    change: (deal: DealView, now: Date) => Prisma.DealUpdateInput,
    event: (deal: DealView) => { stage: Stage; note?: string | null; amount?: bigint | null },
    finish: (tx: Tx, before: DealView, deal: DealView, now: Date) => Promise<R>,
  ): Promise<R> {
    const now = clock.now();
    return db.$transaction(async (tx) => {
      const deal = await dealToChange(tx, ws, actor, number);
      // Only an open deal closes: a closed one is reopened first (`/deal stage`), so two closings
      // at once, or a won and a lost, leave one outcome and tell the other user what it is.
      if (deal.stage === "won" || deal.stage === "lost") {
        throw new AppError("conflict", `error.already_${deal.stage}`, { number });
      }
      const updated = await tx.deal.update({
        where: { id: deal.id },
        data: { ...change(deal, now), lastActivityAt: now },
        include: withParties,
      });
      await appendEvent(tx, ws, deal, actor, { kind: "stage", ...event(deal) }, now);
      await tx.reminder.updateMany({
        where: { workspaceId: ws.id, dealId: deal.id, done: false },
        data: { done: true },
      });
      return finish(tx, deal, updated, now);
    });
  }

  /**
   * The win's goal progress, read through its transaction, handed to `onWin` there. Wins of one
   * workspace take turns from here to their commit: a goal's progress, and so the milestones a win
   * crosses, count every win committed before it, so two wins at once never both cross 50%; the
   * milestones it crosses are recorded, and only those never announced before are handed on.
   */
  async function won(tx: Tx, ws: Workspace, deal: DealView, now: Date): Promise<Win> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${WIN_LOCK}::int, ${ws.id}::int)`;
    const { progress, crossings } = await goalReader(tx, clock).progressOfWin(ws, deal.owner, deal);
    // Each milestone of a goal is announced once ever, even when this deal was won before.
    const win = { deal, progress, crossings: await recordMilestones(tx, ws, deal.id, crossings, now) };
    await onWin(tx, ws, win, now);
    return win;
  }

  return {
    /**
     * Logs a deal: finds or creates its customer by folded name, numbers it in the workspace,
     * records the `created` event and schedules the owner's follow-up.
     */
    async logDeal(
      ws: Workspace,
      actor: Member,
      input: LogDealInput,
    ): Promise<{ deal: DealView; win: Win | null }> {
      const owner = input.owner ?? actor;
      assertCanChangeDeal(ws, actor, owner);
      const stage = input.stage ?? "lead";
      if (stage === "lost") throw new AppError("invalid_input", "error.log_lost");
      const key = nameKey(input.customer);
      if (!key) throw new AppError("invalid_input", "error.customer_name");
      const now = clock.now();
      const due = addWorkingDays(localDate(now, ws.timezone), ws.followupDays, workingDaysOf(ws));
      const row: NewDeal = {
        ...input,
        customer: input.customer.trim(),
        customerKey: key,
        stage,
        owner,
        actor,
        followUpAt: isOpenStage(stage) ? startOfLocalDate(due, ws.timezone) : null,
      };
      try {
        // Not won: one statement, its own transaction. Won: the win is announced in the same transaction.
        if (stage !== "won") return { deal: await insertDeal(db, ws, row, now), win: null };
        return await db.$transaction(async (tx) => {
          const deal = await insertDeal(tx, ws, row, now);
          return { deal, win: await won(tx, ws, deal, now) };
        });
      } catch (error) {
        if (input.idempotencyKey && isUniqueViolation(error)) {
          const again = await db.deal.findUnique({
            where: {
              workspaceId_idempotencyKey: { workspaceId: ws.id, idempotencyKey: input.idempotencyKey },
            },
            include: withParties,
          });
          // The same request again: the deal it logged, whose win (if any) was announced then.
          if (again) return { deal: again, win: null };
        }
        throw error;
      }
    },

    /** Marks a deal won, optionally with its final amount, close date and how it was won. */
    async winDeal(ws: Workspace, actor: Member, number: number, input: WinDealInput = {}) {
      const closedAt = closedAtFor(ws, input.closedOn, clock.now());
      return close(
        ws,
        actor,
        number,
        (deal) => ({
          stage: "won",
          probability: 100,
          closedAt,
          amount: input.amount ?? deal.amount,
          winNote: input.note ?? null,
          lostReason: null,
          lostNote: null,
        }),
        (deal) => ({
          stage: "won",
          note: input.note ?? null,
          amount: input.amount && input.amount !== deal.amount ? input.amount : null,
        }),
        async (tx, before, deal, now) => ({ before, ...(await won(tx, ws, deal, now)) }),
      );
    },

    /** Marks a deal lost with its reason. */
    async loseDeal(ws: Workspace, actor: Member, number: number, reason: LostReason, note?: string) {
      return close(
        ws,
        actor,
        number,
        (_deal, now) => ({
          stage: "lost",
          probability: 0,
          closedAt: now,
          lostReason: reason,
          lostNote: note ?? null,
          winNote: null,
        }),
        () => ({ stage: "lost", note: note ?? null }),
        async (_tx, before, deal) => ({ before, deal }),
      );
    },

    /** Moves an open deal to another open stage, or reopens a closed one. */
    async moveStage(ws: Workspace, actor: Member, number: number, stage: Stage): Promise<DealView> {
      if (!isOpenStage(stage)) throw new AppError("invalid_input", "error.stage_use_command", { stage });
      const now = clock.now();
      return db.$transaction(async (tx) => {
        const deal = await dealToChange(tx, ws, actor, number);
        if (deal.stage === stage) throw new AppError("conflict", "error.same_stage", { number, stage });
        const updated = await tx.deal.update({
          where: { id: deal.id },
          data: {
            stage,
            probability: DEFAULT_PROBABILITY[stage],
            lastActivityAt: now,
            closedAt: null,
            lostReason: null,
            lostNote: null,
            winNote: null,
          },
          include: withParties,
        });
        await appendEvent(tx, ws, deal, actor, { kind: "stage", stage }, now);
        return updated;
      });
    },

    async addNote(ws: Workspace, actor: Member, number: number, note: string): Promise<DealView> {
      const now = clock.now();
      return db.$transaction(async (tx) => {
        const deal = await dealToChange(tx, ws, actor, number);
        await appendEvent(tx, ws, deal, actor, { kind: "note", note }, now);
        return tx.deal.update({
          where: { id: deal.id },
          data: { updatedAt: now, lastActivityAt: now },
          include: withParties,
        });
      });
    },

    /** Gives a deal to another member of the workspace; whoever may change the deal may hand it over. */
    async reassign(ws: Workspace, actor: Member, number: number, owner: Member): Promise<DealView> {
      const now = clock.now();
      return db.$transaction(async (tx) => {
        const deal = await dealToChange(tx, ws, actor, number);
        assertInWorkspace(ws, owner);
        const updated = await tx.deal.update({
          where: { id: deal.id },
          data: { ownerId: owner.id, lastActivityAt: now },
          include: withParties,
        });
        await appendEvent(tx, ws, deal, actor, { kind: "owner", ownerId: owner.id }, now);
        await tx.reminder.updateMany({
          where: { workspaceId: ws.id, dealId: deal.id, done: false },
          data: { memberId: owner.id },
        });
        return updated;
      });
    },
    ...createDealReads(db),
  };
}

export type DealService = ReturnType<typeof createDealService>;
