-- CreateTable: the milestones of each goal already announced, per target, so that a deal reopened and
-- won again never announces one twice; the win inserts them under its workspace's win lock.
CREATE TABLE "goal_milestone" (
    "workspace_id" INTEGER NOT NULL,
    "goal_id" INTEGER NOT NULL,
    "target" BIGINT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "deal_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "goal_milestone_pkey" PRIMARY KEY ("goal_id","target","threshold")
);

-- AddForeignKey
ALTER TABLE "goal_milestone" ADD CONSTRAINT "goal_milestone_goal_id_fkey" FOREIGN KEY ("goal_id") REFERENCES "goal"("id") ON DELETE CASCADE ON UPDATE CASCADE;
