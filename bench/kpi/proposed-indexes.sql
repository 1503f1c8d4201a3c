-- Proposed for prisma/migrations (not applied by the app): `--proposal` measures its effect.
-- The open and weighted pipeline (/kpi, /forecast, the digest) read every open deal of the
-- workspace; with the columns they sum in a partial index, that is an index-only scan of the open
-- deals instead of a heap scan of a third of the table.
CREATE INDEX deal_open_pipeline_idx ON deal (workspace_id, owner_id)
  INCLUDE (amount, probability, expected_close_date)
  WHERE stage IN ('lead', 'qualified', 'proposal', 'negotiation');
