// Request schemas of the inventory procedures, for callers that parse input themselves
// (the console turns a URL's query into a list request with them, on the server).
export * from "./inventory.schema";
export * from "./list-data-centers.schema";
export * from "./list-clusters.schema";
export * from "./list-instances.schema";
export * from "./get-data-center.schema";
export * from "./get-cluster.schema";
export * from "./get-instance.schema";
export * from "./filter-options.schema";
export * from "./update-data-center-status.schema";
