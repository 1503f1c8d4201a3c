-- AlterTable: until when a row keeps its destination from any other message, so that replicas pace
-- each destination together (the lease while it is sent, then the platform's interval or Retry-After).
ALTER TABLE "outbox" ADD COLUMN     "hold_until" TIMESTAMPTZ(3);

-- CreateIndex: the rows holding their destination now, a small range the dispatcher's claim reads once.
CREATE INDEX "outbox_hold_until_idx" ON "outbox"("hold_until");

-- CreateIndex: replaces (workspace_id, status), its prefix; with destination and id, a destination's
-- first pending row.
CREATE INDEX "outbox_workspace_id_status_destination_id_idx" ON "outbox"("workspace_id", "status", "destination", "id");

-- DropIndex
DROP INDEX "outbox_workspace_id_status_idx";
