-- `/focus` (docs/architecture.md, "Focus"). A rep's or a team's dormant customers start from the
-- customers they own.
-- CreateIndex
CREATE INDEX "customer_workspace_id_owner_id_idx" ON "customer"("workspace_id", "owner_id");

-- Each owner's open deals, most valuable (weighted) first, with what the list shows and tests: a
-- rep's list reads the first deals of this index that are overdue, due this week or stalled, and
-- stops; a team's, the first of each member's. Covering and partial, which schema.prisma cannot
-- declare (it lists them in a comment).
CREATE INDEX "deal_focus_idx" ON "deal" ("workspace_id", "owner_id", ("amount" * "probability") DESC)
  INCLUDE ("id", "number", "customer_id", "amount", "probability", "stage", "expected_close_date", "last_activity_at")
  WHERE "deleted_at" IS NULL AND "stage" IN ('lead', 'qualified', 'proposal', 'negotiation');

-- A customer's won deals: its past revenue and last win (the dormant rule), read from the index alone.
CREATE INDEX "deal_won_customer_idx" ON "deal" ("workspace_id", "customer_id")
  INCLUDE ("amount", "closed_at")
  WHERE "stage" = 'won' AND "deleted_at" IS NULL;
