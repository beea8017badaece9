import { cliEnv } from "./env";
import { run } from "./program";

process.exitCode = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: cliEnv(),
  isTTY: Boolean(process.stdout.isTTY),
});
