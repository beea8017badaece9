-- Scaling indexes (issue 12, scaling curves): the per-data-center roll-ups of the map, the fleet
-- graph, the data center list and the planner's slot counts read every instance's data center,
-- cluster, health and role; this index lets them read it in data-center order from the index
-- alone (index-only scan) instead of visiting 100,000 heap rows.
-- CreateIndex
CREATE INDEX "instance_data_center_id_cluster_id_health_role_idx" ON "instance"("data_center_id", "cluster_id", "health", "role");
