import { type TCliEnv } from "./env";

/** Everything the CLI touches outside itself, so tests run it in-process. */
export interface TIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: TCliEnv;
  /** Redraw the progress bar in place (a terminal) or print one line per change (a log). */
  isTTY: boolean;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** Exit codes a pipeline can gate on. */
export const EXIT = {
  OK: 0,
  /** The change failed, was rolled back, rejected, cancelled or blocked; a plan is blocked. */
  CHANGE_FAILED: 1,
  /** Bad usage or invalid input (400). */
  USAGE: 2,
  /** Token missing, invalid, revoked or expired; forbidden (401, 403). */
  AUTH: 3,
  /** Meridian cannot be reached. */
  NETWORK: 4,
  NOT_FOUND: 5,
  TIMEOUT: 6,
  /** A conflict or a refusal of the server (409, 429, 5xx). */
  SERVER: 7,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    public readonly exitCode: number,
  ) {
    super(message);
    this.name = "CliError";
  }
}
