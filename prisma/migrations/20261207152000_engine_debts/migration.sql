-- The engine's open debts (issue 11 section 3): durable retry waits and per-data-center freezes.
-- AlterTable
ALTER TABLE "execution" ADD COLUMN     "data_center_ids" UUID[] DEFAULT ARRAY[]::UUID[],
ADD COLUMN     "not_before" TIMESTAMPTZ(3);
