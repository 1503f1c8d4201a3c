-- Achievements (issue 14): each earned once per subject, kind and occurrence, which the unique key
-- enforces across replicas; the switch that announces them; and a member's changes by time, for streaks.
-- CreateEnum
CREATE TYPE "AchievementKind" AS ENUM ('first_win', 'personal_best', 'best_month', 'hat_trick', 'streak', 'team_goal');

-- AlterTable
ALTER TABLE "workspace" ADD COLUMN     "announce_achievements" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "achievement" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "kind" "AchievementKind" NOT NULL,
    "subject" TEXT NOT NULL,
    "occurrence" TEXT NOT NULL,
    "member_id" INTEGER,
    "team_id" INTEGER,
    "deal_id" INTEGER,
    "value" BIGINT,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "achievement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "achievement_member_id_at_idx" ON "achievement"("member_id", "at");

-- CreateIndex
CREATE INDEX "achievement_team_id_at_idx" ON "achievement"("team_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "achievement_workspace_id_subject_kind_occurrence_key" ON "achievement"("workspace_id", "subject", "kind", "occurrence");

-- CreateIndex
CREATE INDEX "deal_event_actor_id_at_idx" ON "deal_event"("actor_id", "at");

-- AddForeignKey
ALTER TABLE "achievement" ADD CONSTRAINT "achievement_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "achievement" ADD CONSTRAINT "achievement_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "achievement" ADD CONSTRAINT "achievement_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "achievement" ADD CONSTRAINT "achievement_deal_id_fkey" FOREIGN KEY ("deal_id") REFERENCES "deal"("id") ON DELETE SET NULL ON UPDATE CASCADE;
