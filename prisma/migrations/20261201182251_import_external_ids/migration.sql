-- AlterEnum
ALTER TYPE "DealEventKind" ADD VALUE 'imported';

-- AlterTable
ALTER TABLE "deal" ADD COLUMN     "external_id" TEXT,
ADD COLUMN     "external_source" TEXT;

-- AlterTable
ALTER TABLE "member" ADD COLUMN     "email" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "deal_workspace_id_external_source_external_id_key" ON "deal"("workspace_id", "external_source", "external_id");
