-- AlterTable: the days the digest goes out; NULL means the workspace's working days.
ALTER TABLE "workspace" ADD COLUMN "digest_days" TEXT;

-- CreateTable: one row per scheduled job and local day that ran; replicas claim the slot by its key.
CREATE TABLE "job_run" (
    "workspace_id" INTEGER NOT NULL,
    "job" TEXT NOT NULL,
    "slot" DATE NOT NULL,
    "ran_at" TIMESTAMPTZ(3) NOT NULL,
    "queued" INTEGER NOT NULL,

    CONSTRAINT "job_run_pkey" PRIMARY KEY ("workspace_id","job","slot")
);

-- CreateIndex
CREATE INDEX "outbox_workspace_id_status_idx" ON "outbox"("workspace_id", "status");

-- AddForeignKey
ALTER TABLE "job_run" ADD CONSTRAINT "job_run_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
