import { EngineError } from "@meridian/orchestrator/engine";
import { AppError } from "../../errors";

/** EngineError (refused operator call) -> AppError with the same code and readable message. */
export function fromEngineError(error: unknown): unknown {
  if (error instanceof EngineError) return new AppError(error.code, error.message);
  return error;
}
