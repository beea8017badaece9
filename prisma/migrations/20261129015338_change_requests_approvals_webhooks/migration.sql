-- AlterTable
ALTER TABLE "change_request" ADD COLUMN     "approval_policy_name" VARCHAR(96),
ADD COLUMN     "approval_stages" JSONB,
ADD COLUMN     "decided_at" TIMESTAMPTZ(3),
ADD COLUMN     "description" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "maintenance_window_id" UUID,
ADD COLUMN     "owner_team_ids" UUID[],
ADD COLUMN     "preview" JSONB,
ADD COLUMN     "review_note" TEXT,
ADD COLUMN     "review_required" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "reviewed_at" TIMESTAMPTZ(3),
ADD COLUMN     "reviewed_by_id" UUID,
ADD COLUMN     "routing_notes" TEXT[],
ADD COLUMN     "submitted_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "maintenance_window" ADD COLUMN     "created_by_id" UUID;

-- CreateTable
CREATE TABLE "webhook_outbox" (
    "id" UUID NOT NULL,
    "event" VARCHAR(96) NOT NULL,
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_status" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_outbox_delivered_at_failed_at_next_attempt_at_idx" ON "webhook_outbox"("delivered_at", "failed_at", "next_attempt_at");

-- CreateIndex
CREATE INDEX "approval_approver_id_idx" ON "approval"("approver_id");

-- CreateIndex
CREATE INDEX "audit_event_actor_id_idx" ON "audit_event"("actor_id");

-- CreateIndex
CREATE INDEX "audit_event_occurred_at_idx" ON "audit_event"("occurred_at");

-- CreateIndex
CREATE INDEX "change_request_created_at_idx" ON "change_request"("created_at");

-- AddForeignKey
ALTER TABLE "change_request" ADD CONSTRAINT "change_request_maintenance_window_id_fkey" FOREIGN KEY ("maintenance_window_id") REFERENCES "maintenance_window"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_request" ADD CONSTRAINT "change_request_reviewed_by_id_fkey" FOREIGN KEY ("reviewed_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
