import { AppError } from "../../errors.js";
import type { Prisma } from "../../generated/prisma/client.js";
import {
  type AchievementCandidate,
  type AchievementView,
  recordAchievements,
  streakAchievements,
  winAchievements,
} from "../achievements/achievement-service.js";
import { nameKey } from "../customers/name-key.js";
import type { Deal, LostReason, Member, SalesDeps, Stage, Tx, Workspace } from "../deps.js";
import { goalReader, recordMilestones, type WinProgress } from "../goals/goal-service.js";
import { instantOn, localDate } from "../periods/period.js";
import { assertCanChangeDeal, assertCanDeleteDeal, assertInWorkspace } from "../permissions.js";
import {
  lineProducts,
  priceLines,
  productsNamed,
  unpricedProduct,
  writeLines,
} from "../products/deal-lines.js";
import { followUpDueAt } from "../reminders/reminder-service.js";
import { isUniqueViolation } from "../unique-violation.js";
import { insertDeal, type NewDeal } from "./deal-insert.js";
import { createDealReads, type DealView, findDeal, withParties } from "./deal-reads.js";
import { DEFAULT_PROBABILITY, isOpenStage } from "./stages.js";

export type { DealDetail, DealHistoryEvent, DealPage, DealView } from "./deal-reads.js";

export interface LogDealInput {
  /** Absent: the sum of its products' list prices (every one must have a price). */
  amount?: bigint | undefined;
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
  /** Names of the catalogue's products the deal carries, in order. */
  products?: readonly string[] | undefined;
}

export interface WinDealInput {
  amount?: bigint | undefined;
  /** Close date YYYY-MM-DD in the workspace zone; today when absent; never in the future. */
  closedOn?: string | undefined;
  note?: string | undefined;
}

/** What `/deal edit` may change; absent fields stay as they are. */
export interface EditDealInput {
  amount?: bigint | undefined;
  customer?: string | undefined;
  title?: string | undefined;
  source?: string | undefined;
  /** Expected close date, YYYY-MM-DD in the workspace zone. */
  closeDate?: string | undefined;
  /** The products the deal carries now, replacing its lines. */
  products?: readonly string[] | undefined;
}

/** One field an edit changed, as it was and as it is (amounts in minor units, dates YYYY-MM-DD). */
export type DealChange =
  | { field: "amount"; from: bigint; to: bigint }
  | { field: "customer" | "title" | "source" | "close" | "products"; from: string | null; to: string };

/** A won deal and what it did to its owner's, team's and company's goals, read once, in the win's transaction. */
export interface Win extends WinProgress {
  deal: DealView;
}

/**
 * Called inside the transaction that wins a deal (by `/deal won`, or logged won), with the win; what
 * it writes commits or rolls back with the win. The caller announces wins through it.
 */
export type OnWin = (tx: Tx, ws: Workspace, win: Win, at: Date) => Promise<void>;

/**
 * Called inside the transaction of a change (a deal logged, moved, won or lost) with the
 * achievements it earned, each recorded then for the first time; the caller announces them.
 */
export type OnAchievements = (tx: Tx, ws: Workspace, earned: AchievementView[], at: Date) => Promise<void>;

export interface DealServiceDeps extends SalesDeps {
  onWin: OnWin;
  /** Absent: achievements are recorded (and listed) but announced nowhere. */
  onAchievements?: OnAchievements | undefined;
}

/** The instant a deal closed on a local date: now for today, noon local for an earlier day. */
function closedAtFor(ws: Workspace, closedOn: string | undefined, now: Date): Date {
  if (!closedOn) return now;
  if (closedOn > localDate(now, ws.timezone)) {
    throw new AppError("invalid_input", "error.closed_in_future", { date: closedOn });
  }
  return instantOn(closedOn, ws.timezone, now);
}

/** The advisory lock class under which a workspace's wins take turns ("WINS" in ASCII). */
const WIN_LOCK = 0x57494e53;

export function createDealService({ db, clock, onWin, onAchievements }: DealServiceDeps) {
  /**
   * Loads a deal for change inside `tx`, checking that `actor` may change it. Its row stays locked
   * until `tx` ends, so changes to one deal take turns and each reads what the one before wrote.
   */
  async function dealToChange(tx: Tx, ws: Workspace, actor: Member, number: number): Promise<DealView> {
    const deal = await lockDeal(tx, ws, number);
    // A deleted deal changes only by being restored; the refusal says how.
    if (deal.deletedAt) throw new AppError("conflict", "error.deal_deleted", { number });
    assertCanChangeDeal(ws, actor, deal.owner);
    return deal;
  }

  /** Reads a deal, deleted or not, under its row lock until `tx` ends. */
  async function lockDeal(tx: Tx, ws: Workspace, number: number): Promise<DealView> {
    await tx.$executeRaw`SELECT 1 FROM deal WHERE workspace_id = ${ws.id} AND number = ${number} FOR UPDATE`;
    return findDeal(tx, ws, number);
  }

  /** The customer named `name` (folded), created for the deal's owner when there is none, inside `tx`. */
  async function customerNamed(tx: Tx, ws: Workspace, name: string, deal: DealView, now: Date) {
    const key = nameKey(name);
    if (!key) throw new AppError("invalid_input", "error.customer_name");
    // As `/deal log` does: one statement, so a customer created at the same moment is found, not doubled.
    const [row] = await tx.$queryRaw<{ id: number; name: string }[]>`
      INSERT INTO customer (workspace_id, name, name_key, lead_source, owner_id, created_at)
      VALUES (${ws.id}, ${name.trim()}, ${key}, ${deal.leadSource}, ${deal.ownerId}, ${now})
      ON CONFLICT (workspace_id, name_key) DO UPDATE SET name_key = EXCLUDED.name_key
      RETURNING id, name`;
    if (!row) throw new Error(`customer not found or created in workspace ${ws.id}`);
    return row;
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
    event: (deal: DealView) => {
      stage: Stage;
      note?: string | null;
      amount?: bigint | null;
      previousAmount?: bigint | null;
      lostReason?: LostReason | null;
    },
    finish: (
      tx: Tx,
      before: DealView,
      deal: DealView,
      now: Date,
      streak: AchievementCandidate[],
    ) => Promise<R>,
  ): Promise<R> {
    const now = clock.now();
    return db.$transaction(async (tx) => {
      const streak = await streakAchievements(tx, ws, actor.id, now);
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
      return finish(tx, deal, updated, now, streak);
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

  /**
   * Records what a change by `actor` earned, in its transaction, and hands the new ones to
   * `onAchievements`: the actor's streak, and for a win its owner's and team's achievements. A win
   * recorded on an earlier day (`closed:`) is history being entered and earns nothing of its own.
   */
  /**
   * Records what a change earned: the win's achievements, read now, and the streak's, read before
   * the change took its locks ({@link streakAchievements}), now naming the changed deal.
   */
  async function achieve(
    tx: Tx,
    ws: Workspace,
    deal: DealView,
    win: Win | null,
    streak: AchievementCandidate[],
    now: Date,
  ) {
    const closedAt = deal.closedAt;
    const live = closedAt !== null && localDate(closedAt, ws.timezone) >= localDate(now, ws.timezone);
    const candidates = [
      ...(win && closedAt && live ? await winAchievements(tx, ws, { ...deal, closedAt }, win.crossings) : []),
      ...streak.map((c) => ({ ...c, dealId: deal.id })),
    ];
    const earned = await recordAchievements(tx, ws, candidates, now);
    if (earned.length > 0) await onAchievements?.(tx, ws, earned, now);
  }

  /**
   * Replaces a deal's lines with `names`'s products in its transaction, by the amount rule: the
   * amount typed, else their prices' sum, else the deal's amount as it is. Returns the deal's
   * amount and the change of its products, if they changed.
   */
  async function editedLines(
    tx: Tx,
    ws: Workspace,
    deal: DealView,
    names: readonly string[],
    typed: bigint | undefined,
  ): Promise<{ amount: bigint; change: DealChange | null }> {
    const carried = await lineProducts(tx, deal.id);
    const products = await productsNamed(tx, ws, names, new Set(carried.map((p) => p.id)));
    const priced = priceLines(products, typed);
    const { lines, amount } = priced.amount === undefined ? priceLines(products, deal.amount) : priced;
    const before = carried.map((p) => p.name).join(", ");
    const after = lines.map((l) => l.product.name).join(", ");
    await writeLines(tx, ws, deal.id, lines);
    return {
      amount: amount ?? deal.amount,
      change: before === after ? null : { field: "products", from: before || null, to: after },
    };
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
    ): Promise<{ deal: DealView; win: Win | null; products: string[] }> {
      const owner = input.owner ?? actor;
      assertCanChangeDeal(ws, actor, owner);
      const stage = input.stage ?? "lead";
      if (stage === "lost") throw new AppError("invalid_input", "error.log_lost");
      const key = nameKey(input.customer);
      if (!key) throw new AppError("invalid_input", "error.customer_name");
      const now = clock.now();
      const row: Omit<NewDeal, "amount"> = {
        ...input,
        customer: input.customer.trim(),
        customerKey: key,
        stage,
        owner,
        actor,
        followUpAt: isOpenStage(stage) ? followUpDueAt(ws, now) : null,
      };
      // Read before the deal takes the workspace's next number, whose lock every log waits on.
      const [streak, products] = await Promise.all([
        streakAchievements(db, ws, actor.id, now),
        input.products?.length ? productsNamed(db, ws, input.products) : [],
      ]);
      const { lines, amount } = priceLines(products, input.amount);
      if (amount === undefined) {
        const product = unpricedProduct(lines);
        throw new AppError("invalid_input", product ? "error.product_no_price" : "input.amount_required", {
          name: product ?? "",
        });
      }
      const deal: NewDeal = {
        ...row,
        amount,
        lines: lines.map((l) => ({ productId: l.product.id, amount: l.amount })),
      };
      const names = lines.map((l) => l.product.name);
      try {
        if (stage !== "won" && streak.length === 0) {
          // Nothing to record or announce with it: one statement, so the workspace's number is
          // locked for that statement alone, not across round trips (decisions, "Contention").
          return { deal: await insertDeal(db, ws, deal, now), win: null, products: names };
        }
        // The win, and what the change earned, are announced in the deal's transaction.
        return await db.$transaction(async (tx) => {
          const inserted = await insertDeal(tx, ws, deal, now);
          const win = stage === "won" ? await won(tx, ws, inserted, now) : null;
          await achieve(tx, ws, inserted, win, streak, now);
          return { deal: inserted, win, products: names };
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
          if (again) {
            const products = (await lineProducts(db, again.id)).map((p) => p.name);
            return { deal: again, win: null, products };
          }
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
          ...(input.amount && input.amount !== deal.amount
            ? { amount: input.amount, previousAmount: deal.amount }
            : {}),
        }),
        async (tx, before, deal, now, streak) => {
          const win = await won(tx, ws, deal, now);
          await achieve(tx, ws, deal, win, streak, now);
          return { before, ...win };
        },
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
        () => ({ stage: "lost", note: note ?? null, lostReason: reason }),
        async (tx, before, deal, now, streak) => {
          await achieve(tx, ws, deal, null, streak, now);
          return { before, deal };
        },
      );
    },

    /** Moves an open deal to another open stage, or reopens a closed one. */
    async moveStage(ws: Workspace, actor: Member, number: number, stage: Stage): Promise<DealView> {
      if (!isOpenStage(stage)) throw new AppError("invalid_input", "error.stage_use_command", { stage });
      const now = clock.now();
      return db.$transaction(async (tx) => {
        const streak = await streakAchievements(tx, ws, actor.id, now);
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
        await achieve(tx, ws, updated, null, streak, now);
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
        await appendEvent(
          tx,
          ws,
          deal,
          actor,
          { kind: "owner", ownerId: owner.id, previousOwnerId: deal.ownerId },
          now,
        );
        await tx.reminder.updateMany({
          where: { workspaceId: ws.id, dealId: deal.id, done: false },
          data: { memberId: owner.id },
        });
        return updated;
      });
    },

    /**
     * Changes a deal's amount, customer, title, lead source or expected close date; each field that
     * changes is an event with its old and new value. A customer is found or created by folded name,
     * as `/deal log` does. A won deal's amount may change too (a manager corrects a figure), which
     * moves every figure it counts in. Nothing to change is refused.
     */
    async editDeal(
      ws: Workspace,
      actor: Member,
      number: number,
      input: EditDealInput,
    ): Promise<{ deal: DealView; changes: DealChange[] }> {
      const now = clock.now();
      return db.$transaction(async (tx) => {
        const deal = await dealToChange(tx, ws, actor, number);
        const changes: DealChange[] = [];
        const data: Prisma.DealUncheckedUpdateInput = {};
        const lines = input.products ? await editedLines(tx, ws, deal, input.products, input.amount) : null;
        const amount = lines?.amount ?? input.amount;
        if (amount !== undefined && amount !== deal.amount) {
          changes.push({ field: "amount", from: deal.amount, to: amount });
          data.amount = amount;
        }
        if (lines?.change) changes.push(lines.change);
        if (input.customer !== undefined && nameKey(input.customer) !== deal.customer.nameKey) {
          const customer = await customerNamed(tx, ws, input.customer, deal, now);
          if (customer.id !== deal.customerId) {
            changes.push({ field: "customer", from: deal.customer.name, to: customer.name });
            data.customerId = customer.id;
          }
        }
        const title = input.title?.trim();
        if (title !== undefined && title !== deal.title) {
          changes.push({ field: "title", from: deal.title, to: title });
          data.title = title;
        }
        const source = input.source?.trim();
        if (source !== undefined && source !== deal.leadSource) {
          changes.push({ field: "source", from: deal.leadSource, to: source });
          data.leadSource = source;
        }
        const close = deal.expectedCloseDate?.toISOString().slice(0, 10) ?? null;
        if (input.closeDate !== undefined && input.closeDate !== close) {
          changes.push({ field: "close", from: close, to: input.closeDate });
          data.expectedCloseDate = new Date(`${input.closeDate}T00:00:00Z`);
        }
        if (changes.length === 0) throw new AppError("invalid_input", "error.edit_unchanged", { number });
        for (const change of changes) {
          await appendEvent(
            tx,
            ws,
            deal,
            actor,
            change.field === "amount"
              ? { kind: "amount", amount: change.to, previousAmount: change.from }
              : { kind: change.field, oldValue: change.from, newValue: change.to },
            now,
          );
        }
        const updated = await tx.deal.update({
          where: { id: deal.id },
          data: { ...data, lastActivityAt: now },
          include: withParties,
        });
        return { deal: updated, changes };
      });
    },

    /**
     * Deletes a deal softly: it leaves every figure, list, leaderboard and reminder, keeps its number
     * (never reused) and its history, gains a `deleted` event, and can be restored. The owner's
     * manager or an admin may.
     */
    async deleteDeal(ws: Workspace, actor: Member, number: number): Promise<DealView> {
      const now = clock.now();
      return db.$transaction(async (tx) => {
        const deal = await lockDeal(tx, ws, number);
        assertCanDeleteDeal(ws, actor, deal.owner);
        if (deal.deletedAt) throw new AppError("conflict", "error.already_deleted", { number });
        const updated = await tx.deal.update({
          where: { id: deal.id },
          data: { deletedAt: now, deletedById: actor.id, updatedAt: now },
          include: withParties,
        });
        await appendEvent(tx, ws, deal, actor, { kind: "deleted" }, now);
        return updated;
      });
    },

    /** Brings a deleted deal back into every figure and list, as it was; a `restored` event records it. */
    async restoreDeal(ws: Workspace, actor: Member, number: number): Promise<DealView> {
      const now = clock.now();
      return db.$transaction(async (tx) => {
        const deal = await lockDeal(tx, ws, number);
        assertCanDeleteDeal(ws, actor, deal.owner);
        if (!deal.deletedAt) throw new AppError("conflict", "error.not_deleted", { number });
        const updated = await tx.deal.update({
          where: { id: deal.id },
          data: { deletedAt: null, deletedById: null, updatedAt: now },
          include: withParties,
        });
        await appendEvent(tx, ws, deal, actor, { kind: "restored" }, now);
        return updated;
      });
    },
    ...createDealReads(db),
  };
}

export type DealService = ReturnType<typeof createDealService>;
