-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "DealEventKind" ADD VALUE 'customer';
ALTER TYPE "DealEventKind" ADD VALUE 'title';
ALTER TYPE "DealEventKind" ADD VALUE 'source';
ALTER TYPE "DealEventKind" ADD VALUE 'close';
ALTER TYPE "DealEventKind" ADD VALUE 'deleted';
ALTER TYPE "DealEventKind" ADD VALUE 'restored';

-- AlterTable
ALTER TABLE "deal" ADD COLUMN     "deleted_at" TIMESTAMPTZ(3),
ADD COLUMN     "deleted_by_id" INTEGER;

-- AlterTable
ALTER TABLE "deal_event" ADD COLUMN     "lost_reason" "LostReason",
ADD COLUMN     "new_value" TEXT,
ADD COLUMN     "old_value" TEXT,
ADD COLUMN     "previous_amount" BIGINT,
ADD COLUMN     "previous_owner_id" INTEGER;
