-- CreateTable
CREATE TABLE "kudos" (
    "id" SERIAL NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "from_id" INTEGER NOT NULL,
    "to_id" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "kudos_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "kudos_workspace_id_from_id_created_at_idx" ON "kudos"("workspace_id", "from_id", "created_at");

-- CreateIndex
CREATE INDEX "kudos_workspace_id_created_at_idx" ON "kudos"("workspace_id", "created_at");

-- AddForeignKey
ALTER TABLE "kudos" ADD CONSTRAINT "kudos_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kudos" ADD CONSTRAINT "kudos_from_id_fkey" FOREIGN KEY ("from_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kudos" ADD CONSTRAINT "kudos_to_id_fkey" FOREIGN KEY ("to_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
