export * from "./core/plan";
export * from "./core/planning-error";
export * from "./core/snapshot";
export * from "./core/blast-radius";
export {
  PlanSession,
  slugify,
  type TPlannedChange,
  type TPlannedChild,
  type TPlannedPlacement,
  type TPlanningContext,
} from "./core/session";
export * from "./core/planners";
export * from "./core/preview";
