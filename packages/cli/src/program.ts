import { Command, CommanderError, InvalidArgumentError } from "commander";
import { changesApply, changesCancel, changesList, changesPlan, changesShow, changesWait } from "./commands/changes";
import { commandContext, type TGlobalFlags } from "./commands/context";
import { fleetLs } from "./commands/fleet";
import { login } from "./commands/login";
import { CliError, EXIT, type TIo } from "./io";

function requestNumber(value: string): number {
  const n = Number(/^(?:CR-)?(\d{1,9})$/i.exec(value.trim())?.[1]);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("a request number: 12 or CR-12");
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("a number of seconds");
  return n;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("a whole number above 0");
  return n;
}

/** `meridian`: the command line of the team API. Returns the exit code (tests run it in-process). */
export async function run(argv: string[], io: TIo): Promise<number> {
  let code: number = EXIT.OK;
  const program = new Command()
    .name("meridian")
    .description("Meridian's team API from the command line: fleet, change requests as files, executions")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  const ctx = (o: TGlobalFlags) => commandContext(io, { url: o.url, token: o.token });
  /** Every command but login takes --url and --token (over MERIDIAN_URL / MERIDIAN_TOKEN and the login file). */
  const connected = (cmd: Command) =>
    cmd
      .option("--url <url>", "console URL (default: MERIDIAN_URL, then `meridian login`)")
      .option("--token <token>", "API token (default: MERIDIAN_TOKEN, then `meridian login`)");

  program
    .command("login")
    .description("check an API token and save it with the console URL")
    .requiredOption("--url <url>", "console URL, e.g. https://meridian.example.com")
    .requiredOption("--token <token>", "API token mrd_<prefix>_<secret>")
    .option("--json", "print JSON")
    .action(async (o: { url: string; token: string; json?: boolean } & TGlobalFlags) => {
      code = await login(io, o);
    });

  const changes = program.command("changes").description("change requests of the team's clusters");
  connected(changes.command("list"))
    .description("list change requests, newest first")
    .option("--status <status>", "only this status (DRAFT, PENDING_APPROVAL, RUNNING, SUCCEEDED ...)")
    .option("--cluster <name>", "only this cluster")
    .option("--limit <n>", "at most n requests", count, 50)
    .option("--json", "print JSON")
    .action(async (o: { status?: string; cluster?: string; limit: number; json?: boolean } & TGlobalFlags) => {
      code = await changesList(ctx(o), o);
    });
  connected(changes.command("show"))
    .description("a request: plan, risk, residency verdict, approval state")
    .argument("<number>", "request number (12 or CR-12)", requestNumber)
    .option("--json", "print JSON")
    .action(async (n: number, o: { json?: boolean } & TGlobalFlags) => {
      code = await changesShow(ctx(o), n, o);
    });
  connected(changes.command("plan"))
    .description("dry run of a change file: plan, blast radius, risk, residency verdict; files nothing (exit 1 if blocked)")
    .argument("<file>", "change request file (YAML or JSON)")
    .option("--json", "print JSON")
    .action(async (file: string, o: { json?: boolean } & TGlobalFlags) => {
      code = await changesPlan(ctx(o), file, o);
    });
  connected(changes.command("apply"))
    .description("file and submit a change file; applying the same file again files nothing new")
    .argument("<file>", "change request file (YAML or JSON)")
    .option("--no-submit", "file the request as a draft only")
    .option("--key <key>", "Idempotency-Key (default: the file's content hash)")
    .option("--json", "print JSON")
    .action(async (file: string, o: { submit: boolean; key?: string; json?: boolean } & TGlobalFlags) => {
      code = await changesApply(ctx(o), file, o);
    });
  connected(changes.command("cancel"))
    .description("cancel a request")
    .argument("<number>", "request number (12 or CR-12)", requestNumber)
    .option("--reason <text>", "why", "")
    .option("--json", "print JSON")
    .action(async (n: number, o: { reason: string; json?: boolean } & TGlobalFlags) => {
      code = await changesCancel(ctx(o), n, o);
    });
  connected(changes.command("wait"))
    .description("follow a request to its end: exit 0 on SUCCEEDED, 1 on FAILED, ROLLED_BACK, REJECTED, CANCELLED, BLOCKED")
    .argument("<number>", "request number (12 or CR-12)", requestNumber)
    .option("--interval <seconds>", "poll every n seconds", positive, 2)
    .option("--timeout <seconds>", "give up after n seconds (exit 6); 0: never", positive, 0)
    .option("--json", "print the final state as JSON")
    .action(async (n: number, o: { interval: number; timeout: number; json?: boolean } & TGlobalFlags) => {
      code = await changesWait(ctx(o), n, { intervalMs: o.interval * 1000, timeoutMs: o.timeout * 1000, json: o.json });
    });

  const fleet = program.command("fleet").description("the team's fleet");
  connected(fleet.command("ls"))
    .description("list clusters (default), instances, links or data-centers")
    .argument("[what]", "clusters | instances | links | data-centers", "clusters")
    .option("--cluster <name>", "instances or links of one cluster")
    .option("--limit <n>", "at most n rows", count, 1000)
    .option("--json", "print JSON")
    .action(async (what: string, o: { cluster?: string; limit: number; json?: boolean } & TGlobalFlags) => {
      code = await fleetLs(ctx(o), what, o);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (error instanceof CliError) {
      io.stderr(`meridian: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`meridian: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.SERVER;
  }
}
