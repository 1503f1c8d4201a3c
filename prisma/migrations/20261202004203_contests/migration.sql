-- CreateEnum
CREATE TYPE "ContestMetric" AS ENUM ('revenue', 'deals', 'new_pipeline', 'attainment');

-- AlterTable
ALTER TABLE "workspace" ADD COLUMN     "contest_channel" TEXT;

-- CreateTable
CREATE TABLE "contest" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "name_key" TEXT NOT NULL,
    "metric" "ContestMetric" NOT NULL,
    "from_date" DATE NOT NULL,
    "to_date" DATE NOT NULL,
    "prize" TEXT,
    "team_mode" BOOLEAN NOT NULL DEFAULT false,
    "team_id" INTEGER,
    "created_by_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "cancelled_at" TIMESTAMPTZ(3),
    "cancelled_by_id" INTEGER,
    "start_announced_at" TIMESTAMPTZ(3),
    "last_day_announced_at" TIMESTAMPTZ(3),
    "result_announced_at" TIMESTAMPTZ(3),

    CONSTRAINT "contest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "contest_workspace_id_to_date_idx" ON "contest"("workspace_id", "to_date");

-- CreateIndex
CREATE UNIQUE INDEX "contest_workspace_id_name_key_key" ON "contest"("workspace_id", "name_key");

-- AddForeignKey
ALTER TABLE "contest" ADD CONSTRAINT "contest_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contest" ADD CONSTRAINT "contest_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
