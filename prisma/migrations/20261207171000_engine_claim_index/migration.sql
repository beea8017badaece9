-- The engine's claim walks open executions oldest first and stops at the first one it can lock
-- (FOR UPDATE SKIP LOCKED LIMIT 1). Without an index in that order it read and sorted every open
-- execution on every claim, so claims slowed down as the queue grew. A partial index holds only
-- the open executions (QUEUED, RUNNING, COMPENSATING), in claim order.
CREATE INDEX IF NOT EXISTS "execution_claim_order_idx" ON "execution" ("created_at", "id")
  WHERE "status" IN ('QUEUED', 'RUNNING', 'COMPENSATING');
