-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('slack', 'discord', 'shell');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('rep', 'manager', 'admin');

-- CreateEnum
CREATE TYPE "Stage" AS ENUM ('lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost');

-- CreateEnum
CREATE TYPE "LostReason" AS ENUM ('price', 'product', 'timing', 'competitor', 'no_decision', 'other');

-- CreateEnum
CREATE TYPE "DealEventKind" AS ENUM ('created', 'stage', 'amount', 'owner', 'note');

-- CreateEnum
CREATE TYPE "GoalScope" AS ENUM ('member', 'team', 'company');

-- CreateEnum
CREATE TYPE "GoalMetric" AS ENUM ('revenue', 'deals');

-- CreateEnum
CREATE TYPE "PeriodKind" AS ENUM ('month', 'quarter', 'year');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "workspace" (
    "id" SERIAL NOT NULL,
    "platform" "Platform" NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "locale" TEXT NOT NULL DEFAULT 'en',
    "currency" TEXT NOT NULL DEFAULT 'EUR',
    "fiscal_year_start" INTEGER NOT NULL DEFAULT 1,
    "week_start" TEXT NOT NULL DEFAULT 'monday',
    "working_days" TEXT NOT NULL DEFAULT 'mon-fri',
    "digest_time" TEXT NOT NULL DEFAULT '09:00',
    "digest_channel" TEXT,
    "wins_channel" TEXT,
    "followup_days" INTEGER NOT NULL DEFAULT 3,
    "stalled_days" INTEGER NOT NULL DEFAULT 14,
    "dormant_days" INTEGER NOT NULL DEFAULT 90,
    "announce_win" BOOLEAN NOT NULL DEFAULT true,
    "announce_milestone" BOOLEAN NOT NULL DEFAULT true,
    "announce_weekly" BOOLEAN NOT NULL DEFAULT true,
    "announce_monthly" BOOLEAN NOT NULL DEFAULT true,
    "announce_digest" BOOLEAN NOT NULL DEFAULT true,
    "announce_reminders" BOOLEAN NOT NULL DEFAULT true,
    "deal_seq" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "member" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "platform_user_id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'rep',
    "team_id" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "team" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "name_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "name_key" TEXT NOT NULL,
    "lead_source" TEXT,
    "owner_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deal" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "owner_id" INTEGER NOT NULL,
    "title" TEXT,
    "amount" BIGINT NOT NULL,
    "stage" "Stage" NOT NULL,
    "probability" INTEGER NOT NULL,
    "lead_source" TEXT,
    "expected_close_date" DATE,
    "closed_at" TIMESTAMPTZ(3),
    "lost_reason" "LostReason",
    "lost_note" TEXT,
    "win_note" TEXT,
    "idempotency_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deal_event" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "deal_id" INTEGER NOT NULL,
    "kind" "DealEventKind" NOT NULL,
    "actor_id" INTEGER,
    "stage" "Stage",
    "amount" BIGINT,
    "owner_id" INTEGER,
    "note" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deal_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "goal" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "scope" "GoalScope" NOT NULL,
    "scope_id" INTEGER NOT NULL,
    "metric" "GoalMetric" NOT NULL,
    "period_kind" "PeriodKind" NOT NULL,
    "period_start" DATE NOT NULL,
    "target" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "goal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reminder" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "member_id" INTEGER NOT NULL,
    "deal_id" INTEGER,
    "customer_id" INTEGER,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "text" TEXT NOT NULL,
    "done" BOOLEAN NOT NULL DEFAULT false,
    "origin" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "message_ref" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "installation" (
    "id" SERIAL NOT NULL,
    "install_key" TEXT NOT NULL,
    "team_id" TEXT,
    "enterprise_id" TEXT,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "installation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "processed_request" (
    "key" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "processed_request_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "workspace_platform_external_id_key" ON "workspace"("platform", "external_id");

-- CreateIndex
CREATE INDEX "member_team_id_idx" ON "member"("team_id");

-- CreateIndex
CREATE UNIQUE INDEX "member_workspace_id_platform_user_id_key" ON "member"("workspace_id", "platform_user_id");

-- CreateIndex
CREATE UNIQUE INDEX "team_workspace_id_name_key_key" ON "team"("workspace_id", "name_key");

-- CreateIndex
CREATE UNIQUE INDEX "customer_workspace_id_name_key_key" ON "customer"("workspace_id", "name_key");

-- CreateIndex
CREATE INDEX "deal_workspace_id_stage_closed_at_idx" ON "deal"("workspace_id", "stage", "closed_at");

-- CreateIndex
CREATE INDEX "deal_workspace_id_owner_id_closed_at_idx" ON "deal"("workspace_id", "owner_id", "closed_at");

-- CreateIndex
CREATE INDEX "deal_workspace_id_customer_id_idx" ON "deal"("workspace_id", "customer_id");

-- CreateIndex
CREATE INDEX "deal_workspace_id_created_at_idx" ON "deal"("workspace_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "deal_workspace_id_number_key" ON "deal"("workspace_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "deal_workspace_id_idempotency_key_key" ON "deal"("workspace_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "deal_event_deal_id_at_idx" ON "deal_event"("deal_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "goal_scope_metric_period_key" ON "goal"("workspace_id", "scope", "scope_id", "metric", "period_kind", "period_start");

-- CreateIndex
CREATE INDEX "reminder_workspace_id_member_id_done_due_at_idx" ON "reminder"("workspace_id", "member_id", "done", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_dedupe_key_key" ON "outbox"("dedupe_key");

-- CreateIndex
CREATE INDEX "outbox_status_next_attempt_at_idx" ON "outbox"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "installation_install_key_key" ON "installation"("install_key");

-- CreateIndex
CREATE INDEX "processed_request_expires_at_idx" ON "processed_request"("expires_at");

-- AddForeignKey
ALTER TABLE "member" ADD CONSTRAINT "member_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "member" ADD CONSTRAINT "member_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team" ADD CONSTRAINT "team_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer" ADD CONSTRAINT "customer_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer" ADD CONSTRAINT "customer_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deal" ADD CONSTRAINT "deal_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deal" ADD CONSTRAINT "deal_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deal" ADD CONSTRAINT "deal_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deal_event" ADD CONSTRAINT "deal_event_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deal_event" ADD CONSTRAINT "deal_event_deal_id_fkey" FOREIGN KEY ("deal_id") REFERENCES "deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deal_event" ADD CONSTRAINT "deal_event_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "goal" ADD CONSTRAINT "goal_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminder" ADD CONSTRAINT "reminder_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminder" ADD CONSTRAINT "reminder_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminder" ADD CONSTRAINT "reminder_deal_id_fkey" FOREIGN KEY ("deal_id") REFERENCES "deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminder" ADD CONSTRAINT "reminder_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
