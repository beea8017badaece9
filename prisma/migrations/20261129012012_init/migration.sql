-- CreateEnum
CREATE TYPE "DataCenterStatus" AS ENUM ('ACTIVE', 'DRAINING', 'MAINTENANCE', 'OFFLINE');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'DBA', 'ENGINEER', 'TEAM_APPROVER', 'COMPLIANCE', 'VIEWER');

-- CreateEnum
CREATE TYPE "TeamRole" AS ENUM ('MEMBER', 'APPROVER');

-- CreateEnum
CREATE TYPE "Engine" AS ENUM ('POSTGRESQL', 'MYSQL', 'MARIADB', 'SQLSERVER', 'ORACLE');

-- CreateEnum
CREATE TYPE "Tier" AS ENUM ('T0', 'T1', 'T2', 'T3');

-- CreateEnum
CREATE TYPE "DataClassification" AS ENUM ('PUBLIC', 'INTERNAL', 'CONFIDENTIAL', 'PII', 'REGULATED');

-- CreateEnum
CREATE TYPE "InstanceRole" AS ENUM ('PRIMARY', 'REPLICA', 'STANDBY');

-- CreateEnum
CREATE TYPE "HealthStatus" AS ENUM ('UP', 'DEGRADED', 'DOWN', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "DriverKind" AS ENUM ('SIMULATED', 'POSTGRES', 'MYSQL');

-- CreateEnum
CREATE TYPE "ReplicationMode" AS ENUM ('PHYSICAL', 'LOGICAL', 'CDC');

-- CreateEnum
CREATE TYPE "LinkStatus" AS ENUM ('ACTIVE', 'CATCHING_UP', 'PAUSED', 'BROKEN');

-- CreateEnum
CREATE TYPE "ChangeKind" AS ENUM ('ADD_REPLICA', 'REMOVE_REPLICA', 'ADD_LINK', 'REMOVE_LINK', 'SWITCHOVER', 'FAILOVER', 'MOVE_PRIMARY_REGION', 'SCHEMA_CHANGE', 'DRAIN_DATACENTER');

-- CreateEnum
CREATE TYPE "ChangeStatus" AS ENUM ('DRAFT', 'PENDING_APPROVAL', 'APPROVED', 'SCHEDULED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'REJECTED', 'CANCELLED', 'BLOCKED');

-- CreateEnum
CREATE TYPE "RiskLevel" AS ENUM ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL');

-- CreateEnum
CREATE TYPE "ResidencyVerdict" AS ENUM ('WITHIN_HOME', 'CROSSES_WITHIN_POLICY', 'BLOCKED');

-- CreateEnum
CREATE TYPE "ApprovalDecision" AS ENUM ('APPROVE', 'REJECT');

-- CreateEnum
CREATE TYPE "ExecutionStatus" AS ENUM ('QUEUED', 'RUNNING', 'PAUSED', 'COMPENSATING', 'SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'CANCELLED');

-- CreateEnum
CREATE TYPE "StepStatus" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'COMPENSATING', 'COMPENSATED', 'COMPENSATION_FAILED');

-- CreateTable
CREATE TABLE "jurisdiction" (
    "code" VARCHAR(8) NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "jurisdiction_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "region" (
    "code" VARCHAR(32) NOT NULL,
    "name" TEXT NOT NULL,
    "jurisdiction_code" VARCHAR(8) NOT NULL,

    CONSTRAINT "region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "data_center" (
    "id" UUID NOT NULL,
    "code" VARCHAR(32) NOT NULL,
    "name" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "country" VARCHAR(2) NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "region_code" VARCHAR(32) NOT NULL,
    "jurisdiction_code" VARCHAR(8) NOT NULL,
    "provider" TEXT NOT NULL,
    "status" "DataCenterStatus" NOT NULL DEFAULT 'ACTIVE',
    "capacity_slots" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "data_center_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT,
    "roles" "Role"[],
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_login_at" TIMESTAMPTZ(3),

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "team" (
    "id" UUID NOT NULL,
    "slug" VARCHAR(64) NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "team_membership" (
    "team_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "TeamRole" NOT NULL DEFAULT 'MEMBER',

    CONSTRAINT "team_membership_pkey" PRIMARY KEY ("team_id","user_id")
);

-- CreateTable
CREATE TABLE "cluster" (
    "id" UUID NOT NULL,
    "name" VARCHAR(96) NOT NULL,
    "engine" "Engine" NOT NULL,
    "engine_version" VARCHAR(32) NOT NULL,
    "team_id" UUID NOT NULL,
    "tier" "Tier" NOT NULL,
    "classification" "DataClassification" NOT NULL,
    "home_jurisdiction_code" VARCHAR(8) NOT NULL,
    "allowed_jurisdictions" VARCHAR(8)[],
    "rpo_seconds" INTEGER NOT NULL,
    "rto_seconds" INTEGER NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "instance" (
    "id" UUID NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "cluster_id" UUID NOT NULL,
    "data_center_id" UUID NOT NULL,
    "role" "InstanceRole" NOT NULL,
    "driver" "DriverKind" NOT NULL DEFAULT 'SIMULATED',
    "endpoint" TEXT NOT NULL,
    "version" VARCHAR(32) NOT NULL,
    "health" "HealthStatus" NOT NULL DEFAULT 'UNKNOWN',
    "credential_ciphertext" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "instance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "replication_link" (
    "id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "target_id" UUID NOT NULL,
    "mode" "ReplicationMode" NOT NULL,
    "status" "LinkStatus" NOT NULL DEFAULT 'ACTIVE',
    "lag_bytes" BIGINT NOT NULL DEFAULT 0,
    "lag_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "replication_link_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "change_request" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "kind" "ChangeKind" NOT NULL,
    "title" TEXT NOT NULL,
    "parameters" JSONB NOT NULL,
    "cluster_id" UUID,
    "plan" JSONB,
    "plan_hash" VARCHAR(64),
    "risk_level" "RiskLevel",
    "risk_reasons" TEXT[],
    "residency_verdict" "ResidencyVerdict",
    "residency_rule" TEXT,
    "requester_id" UUID NOT NULL,
    "status" "ChangeStatus" NOT NULL DEFAULT 'DRAFT',
    "break_glass" BOOLEAN NOT NULL DEFAULT false,
    "window_start" TIMESTAMPTZ(3),
    "window_end" TIMESTAMPTZ(3),
    "parent_id" UUID,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "change_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "change_comment" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_comment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_policy" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "priority" INTEGER NOT NULL DEFAULT 100,
    "kinds" "ChangeKind"[],
    "min_risk" "RiskLevel",
    "classifications" "DataClassification"[],
    "crosses_jurisdiction" BOOLEAN,
    "stages" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "stage" VARCHAR(64) NOT NULL,
    "approver_id" UUID NOT NULL,
    "decision" "ApprovalDecision" NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "plan_hash" VARCHAR(64) NOT NULL,
    "voided" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "maintenance_window" (
    "id" UUID NOT NULL,
    "data_center_id" UUID,
    "kind" VARCHAR(16) NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "maintenance_window_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "execution" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "status" "ExecutionStatus" NOT NULL DEFAULT 'QUEUED',
    "plan_hash" VARCHAR(64) NOT NULL,
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "fencing_token" BIGINT NOT NULL DEFAULT 0,
    "current_step" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "execution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "execution_step" (
    "id" UUID NOT NULL,
    "execution_id" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "status" "StepStatus" NOT NULL DEFAULT 'PENDING',
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "input" JSONB NOT NULL,
    "output" JSONB,
    "error" TEXT,
    "log" TEXT[],
    "idempotency_key" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "execution_step_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_email" TEXT,
    "action" VARCHAR(96) NOT NULL,
    "target_type" VARCHAR(64) NOT NULL,
    "target_id" TEXT,
    "before" JSONB,
    "after" JSONB,
    "prev_hash" VARCHAR(64) NOT NULL,
    "hash" VARCHAR(64) NOT NULL,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "health_sample" (
    "id" BIGSERIAL NOT NULL,
    "instance_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "health" "HealthStatus" NOT NULL,
    "detail" TEXT,

    CONSTRAINT "health_sample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lag_sample" (
    "id" BIGSERIAL NOT NULL,
    "link_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lag_bytes" BIGINT NOT NULL,
    "lag_seconds" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "lag_sample_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "data_center_code_key" ON "data_center"("code");

-- CreateIndex
CREATE INDEX "data_center_jurisdiction_code_idx" ON "data_center"("jurisdiction_code");

-- CreateIndex
CREATE INDEX "data_center_region_code_idx" ON "data_center"("region_code");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "team_slug_key" ON "team"("slug");

-- CreateIndex
CREATE INDEX "team_membership_user_id_idx" ON "team_membership"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "cluster_name_key" ON "cluster"("name");

-- CreateIndex
CREATE INDEX "cluster_team_id_idx" ON "cluster"("team_id");

-- CreateIndex
CREATE INDEX "cluster_engine_idx" ON "cluster"("engine");

-- CreateIndex
CREATE INDEX "cluster_classification_idx" ON "cluster"("classification");

-- CreateIndex
CREATE INDEX "cluster_tier_idx" ON "cluster"("tier");

-- CreateIndex
CREATE UNIQUE INDEX "instance_name_key" ON "instance"("name");

-- CreateIndex
CREATE INDEX "instance_cluster_id_idx" ON "instance"("cluster_id");

-- CreateIndex
CREATE INDEX "instance_data_center_id_idx" ON "instance"("data_center_id");

-- CreateIndex
CREATE INDEX "instance_health_idx" ON "instance"("health");

-- CreateIndex
CREATE INDEX "replication_link_target_id_idx" ON "replication_link"("target_id");

-- CreateIndex
CREATE UNIQUE INDEX "replication_link_source_id_target_id_key" ON "replication_link"("source_id", "target_id");

-- CreateIndex
CREATE UNIQUE INDEX "change_request_number_key" ON "change_request"("number");

-- CreateIndex
CREATE INDEX "change_request_status_idx" ON "change_request"("status");

-- CreateIndex
CREATE INDEX "change_request_requester_id_idx" ON "change_request"("requester_id");

-- CreateIndex
CREATE INDEX "change_request_cluster_id_idx" ON "change_request"("cluster_id");

-- CreateIndex
CREATE INDEX "change_comment_request_id_idx" ON "change_comment"("request_id");

-- CreateIndex
CREATE UNIQUE INDEX "approval_policy_name_key" ON "approval_policy"("name");

-- CreateIndex
CREATE INDEX "approval_request_id_idx" ON "approval"("request_id");

-- CreateIndex
CREATE INDEX "maintenance_window_starts_at_ends_at_idx" ON "maintenance_window"("starts_at", "ends_at");

-- CreateIndex
CREATE INDEX "execution_status_lease_expires_at_idx" ON "execution"("status", "lease_expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "execution_request_id_attempt_key" ON "execution"("request_id", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "execution_step_idempotency_key_key" ON "execution_step"("idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "execution_step_execution_id_index_key" ON "execution_step"("execution_id", "index");

-- CreateIndex
CREATE UNIQUE INDEX "audit_event_hash_key" ON "audit_event"("hash");

-- CreateIndex
CREATE INDEX "audit_event_action_idx" ON "audit_event"("action");

-- CreateIndex
CREATE INDEX "audit_event_target_type_target_id_idx" ON "audit_event"("target_type", "target_id");

-- CreateIndex
CREATE INDEX "health_sample_instance_id_at_idx" ON "health_sample"("instance_id", "at");

-- CreateIndex
CREATE INDEX "lag_sample_link_id_at_idx" ON "lag_sample"("link_id", "at");

-- AddForeignKey
ALTER TABLE "region" ADD CONSTRAINT "region_jurisdiction_code_fkey" FOREIGN KEY ("jurisdiction_code") REFERENCES "jurisdiction"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "data_center" ADD CONSTRAINT "data_center_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "data_center" ADD CONSTRAINT "data_center_jurisdiction_code_fkey" FOREIGN KEY ("jurisdiction_code") REFERENCES "jurisdiction"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_membership" ADD CONSTRAINT "team_membership_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_membership" ADD CONSTRAINT "team_membership_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cluster" ADD CONSTRAINT "cluster_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cluster" ADD CONSTRAINT "cluster_home_jurisdiction_code_fkey" FOREIGN KEY ("home_jurisdiction_code") REFERENCES "jurisdiction"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "instance" ADD CONSTRAINT "instance_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "instance" ADD CONSTRAINT "instance_data_center_id_fkey" FOREIGN KEY ("data_center_id") REFERENCES "data_center"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "replication_link" ADD CONSTRAINT "replication_link_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "instance"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "replication_link" ADD CONSTRAINT "replication_link_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "instance"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_request" ADD CONSTRAINT "change_request_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_request" ADD CONSTRAINT "change_request_requester_id_fkey" FOREIGN KEY ("requester_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_request" ADD CONSTRAINT "change_request_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "change_request"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_comment" ADD CONSTRAINT "change_comment_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "change_request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "change_comment" ADD CONSTRAINT "change_comment_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval" ADD CONSTRAINT "approval_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "change_request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval" ADD CONSTRAINT "approval_approver_id_fkey" FOREIGN KEY ("approver_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "maintenance_window" ADD CONSTRAINT "maintenance_window_data_center_id_fkey" FOREIGN KEY ("data_center_id") REFERENCES "data_center"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "execution" ADD CONSTRAINT "execution_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "change_request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "execution_step" ADD CONSTRAINT "execution_step_execution_id_fkey" FOREIGN KEY ("execution_id") REFERENCES "execution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "health_sample" ADD CONSTRAINT "health_sample_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lag_sample" ADD CONSTRAINT "lag_sample_link_id_fkey" FOREIGN KEY ("link_id") REFERENCES "replication_link"("id") ON DELETE CASCADE ON UPDATE CASCADE;
