export * from "./scope";
export * from "./fleet";
export * from "./changes";
export * from "./audit";
