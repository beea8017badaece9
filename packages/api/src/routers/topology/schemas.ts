// Request schemas of the topology procedures, for callers that parse input themselves.
export * from "./topology.schema";
export * from "./map-overview.schema";
export * from "./data-center-panel.schema";
export * from "./cluster-graph.schema";
export * from "./fleet-graph.schema";
export * from "./search.schema";
