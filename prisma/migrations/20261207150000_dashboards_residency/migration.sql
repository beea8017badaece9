-- Dashboards: hourly and daily sample rollups (raw kept 48 h, hourly 8 days, daily 400 days) and residency findings.
-- CreateEnum
CREATE TYPE "ResidencySubject" AS ENUM ('INSTANCE', 'LINK');

-- CreateTable
CREATE TABLE "health_sample_hourly" (
    "instance_id" UUID NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "data_center_id" UUID NOT NULL,
    "region_code" VARCHAR(32) NOT NULL,
    "team_id" UUID NOT NULL,
    "up_minutes" INTEGER NOT NULL DEFAULT 0,
    "degraded_minutes" INTEGER NOT NULL DEFAULT 0,
    "down_minutes" INTEGER NOT NULL DEFAULT 0,
    "unknown_minutes" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "health_sample_hourly_pkey" PRIMARY KEY ("instance_id","bucket")
);

-- CreateTable
CREATE TABLE "health_sample_daily" (
    "instance_id" UUID NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "data_center_id" UUID NOT NULL,
    "region_code" VARCHAR(32) NOT NULL,
    "team_id" UUID NOT NULL,
    "up_minutes" INTEGER NOT NULL DEFAULT 0,
    "degraded_minutes" INTEGER NOT NULL DEFAULT 0,
    "down_minutes" INTEGER NOT NULL DEFAULT 0,
    "unknown_minutes" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "health_sample_daily_pkey" PRIMARY KEY ("instance_id","bucket")
);

-- CreateTable
CREATE TABLE "lag_sample_hourly" (
    "link_id" UUID NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "region_code" VARCHAR(32) NOT NULL,
    "team_id" UUID NOT NULL,
    "tier" "Tier" NOT NULL,
    "samples" INTEGER NOT NULL DEFAULT 0,
    "avg_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "p95_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "max_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "max_bytes" BIGINT NOT NULL DEFAULT 0,
    "minutes_above_slo" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "lag_sample_hourly_pkey" PRIMARY KEY ("link_id","bucket")
);

-- CreateTable
CREATE TABLE "lag_sample_daily" (
    "link_id" UUID NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "region_code" VARCHAR(32) NOT NULL,
    "team_id" UUID NOT NULL,
    "tier" "Tier" NOT NULL,
    "samples" INTEGER NOT NULL DEFAULT 0,
    "avg_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "p95_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "max_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "max_bytes" BIGINT NOT NULL DEFAULT 0,
    "minutes_above_slo" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "lag_sample_daily_pkey" PRIMARY KEY ("link_id","bucket")
);

-- CreateTable
CREATE TABLE "residency_finding" (
    "id" UUID NOT NULL,
    "cluster_id" UUID NOT NULL,
    "subject" "ResidencySubject" NOT NULL,
    "subject_id" UUID NOT NULL,
    "subject_name" TEXT NOT NULL,
    "data_center_code" VARCHAR(32) NOT NULL,
    "jurisdiction_code" VARCHAR(8) NOT NULL,
    "allowed_jurisdictions" VARCHAR(8)[],
    "rule" VARCHAR(96) NOT NULL,
    "detail" TEXT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "residency_finding_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "health_sample_hourly_bucket_idx" ON "health_sample_hourly"("bucket");

-- CreateIndex
CREATE INDEX "health_sample_daily_bucket_idx" ON "health_sample_daily"("bucket");

-- CreateIndex
CREATE INDEX "lag_sample_hourly_bucket_idx" ON "lag_sample_hourly"("bucket");

-- CreateIndex
CREATE INDEX "lag_sample_daily_bucket_idx" ON "lag_sample_daily"("bucket");

-- CreateIndex
CREATE INDEX "residency_finding_resolved_at_idx" ON "residency_finding"("resolved_at");

-- CreateIndex
CREATE UNIQUE INDEX "residency_finding_cluster_id_subject_subject_id_key" ON "residency_finding"("cluster_id", "subject", "subject_id");
