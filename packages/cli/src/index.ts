export { run } from "./program";
export { EXIT, CliError, type TIo } from "./io";
export { cliEnv, type TCliEnv } from "./env";
