-- The data centers at both ends of each replication link, on the link itself (issue 12, scaling
-- curves): the map's routes and the data center panel group links by (source data center, target
-- data center); without these columns every such read joins every link to its two instances
-- (two hash tables of 100,000 instances at 100,000 instances). The database keeps them correct:
-- a link's trigger fills them from its instances on insert and whenever its ends change (a value
-- written directly is overwritten), and an instance's trigger rewrites its links when it moves to
-- another data center. Nullable only so that Prisma does not ask callers for them on create.

-- AlterTable
ALTER TABLE "replication_link" ADD COLUMN "source_data_center_id" UUID,
ADD COLUMN "target_data_center_id" UUID;

-- Backfill
UPDATE "replication_link" l
   SET "source_data_center_id" = s."data_center_id", "target_data_center_id" = t."data_center_id"
  FROM "instance" s, "instance" t
 WHERE s."id" = l."source_id" AND t."id" = l."target_id";

-- CreateIndex
CREATE INDEX "replication_link_source_data_center_id_target_data_center_i_idx" ON "replication_link"("source_data_center_id", "target_data_center_id");

-- CreateIndex
CREATE INDEX "replication_link_target_data_center_id_source_data_center_i_idx" ON "replication_link"("target_data_center_id", "source_data_center_id");

-- A link's ends' data centers, from its instances.
CREATE FUNCTION "replication_link_set_data_centers"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT i."data_center_id" INTO NEW."source_data_center_id" FROM "instance" i WHERE i."id" = NEW."source_id";
  SELECT i."data_center_id" INTO NEW."target_data_center_id" FROM "instance" i WHERE i."id" = NEW."target_id";
  RETURN NEW;
END;
$$;

CREATE TRIGGER "replication_link_set_data_centers"
  BEFORE INSERT OR UPDATE OF "source_id", "target_id", "source_data_center_id", "target_data_center_id" ON "replication_link"
  FOR EACH ROW EXECUTE FUNCTION "replication_link_set_data_centers"();

-- An instance moved to another data center moves the matching end of its links.
CREATE FUNCTION "instance_move_link_data_centers"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "replication_link" SET "source_data_center_id" = NEW."data_center_id" WHERE "source_id" = NEW."id";
  UPDATE "replication_link" SET "target_data_center_id" = NEW."data_center_id" WHERE "target_id" = NEW."id";
  RETURN NULL;
END;
$$;

CREATE TRIGGER "instance_move_link_data_centers"
  AFTER UPDATE OF "data_center_id" ON "instance"
  FOR EACH ROW WHEN (OLD."data_center_id" IS DISTINCT FROM NEW."data_center_id")
  EXECUTE FUNCTION "instance_move_link_data_centers"();
