-- CreateEnum
CREATE TYPE "DriftKind" AS ENUM ('UNKNOWN_SUBSCRIPTION', 'UNKNOWN_PUBLICATION', 'UNKNOWN_SLOT', 'MISSING_LINK', 'ROLE_MISMATCH');

-- AlterTable
ALTER TABLE "app_user" ADD COLUMN     "must_change_password" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "session_version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "instance" ADD COLUMN     "database_name" VARCHAR(63),
ADD COLUMN     "failure_streak" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "health_detail" TEXT,
ADD COLUMN     "last_seen_at" TIMESTAMPTZ(3),
ADD COLUMN     "observed_role" VARCHAR(32),
ADD COLUMN     "success_streak" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "replication_link" ADD COLUMN     "last_error" TEXT,
ADD COLUMN     "paused_at" TIMESTAMPTZ(3),
ADD COLUMN     "tables" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "verification" JSONB,
ADD COLUMN     "verified_at" TIMESTAMPTZ(3);

-- CreateTable
-- Until this migration the simulated driver created the two fleet tables at start
-- (ensureFleetSchema): IF NOT EXISTS keeps databases that already have them.
CREATE TABLE IF NOT EXISTS "fleet_side_effect" (
    "seq" BIGSERIAL NOT NULL,
    "effect_id" TEXT NOT NULL,
    "execution_id" UUID NOT NULL,
    "step_id" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "fleet_side_effect_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE IF NOT EXISTS "fleet_instance_state" (
    "instance_id" UUID NOT NULL,
    "registered" BOOLEAN NOT NULL DEFAULT true,
    "writes_fenced" BOOLEAN NOT NULL DEFAULT false,
    "detached" BOOLEAN NOT NULL DEFAULT false,
    "detached_links" JSONB,
    "schema_changes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fleet_instance_state_pkey" PRIMARY KEY ("instance_id")
);

-- CreateTable
CREATE TABLE "drift_finding" (
    "id" UUID NOT NULL,
    "instance_id" UUID NOT NULL,
    "kind" "DriftKind" NOT NULL,
    "object_name" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "link_id" UUID,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "drift_finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sign_in_throttle" (
    "key" VARCHAR(300) NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "blocked_until" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sign_in_throttle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX IF NOT EXISTS "fleet_side_effect_execution_idx" ON "fleet_side_effect"("execution_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX IF NOT EXISTS "fleet_side_effect_effect_id_key" ON "fleet_side_effect"("effect_id");

-- CreateIndex
CREATE INDEX "drift_finding_resolved_at_idx" ON "drift_finding"("resolved_at");

-- CreateIndex
CREATE UNIQUE INDEX "drift_finding_instance_id_kind_object_name_key" ON "drift_finding"("instance_id", "kind", "object_name");

-- AddForeignKey
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'fleet_instance_state'::regclass AND contype = 'f') THEN
    ALTER TABLE "fleet_instance_state" ADD CONSTRAINT "fleet_instance_state_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;
  END IF;
END $$;

-- AddForeignKey
ALTER TABLE "drift_finding" ADD CONSTRAINT "drift_finding_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;
