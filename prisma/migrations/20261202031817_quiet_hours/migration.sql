-- Quiet hours (issue 14): a workspace's `HH:MM-HH:MM` in its time zone, null when it has none.
ALTER TABLE "workspace" ADD COLUMN "quiet_hours" TEXT;

-- The end of the quiet hours that held an outbox row, and the row whose one message carries it when
-- rows held together are merged. Both null for every row already there: nothing was held.
ALTER TABLE "outbox" ADD COLUMN "merged_into" INTEGER,
ADD COLUMN "quiet_until" TIMESTAMPTZ(3);
