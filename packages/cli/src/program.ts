import { Command } from "commander";
import { commandRegistrations } from "./commands/index.js";
import { VERSION } from "./version.js";

/**
 * Exit statuses of `nextgen`, the same for every subcommand.
 *
 * @example
 * ```ts
 * const { status } = spawnSync("npx", ["nextgen", "verify", "templates", "--trust", "trust.json"]);
 * if (status === EXIT_CODES.usage) console.error("bad command line");
 * ```
 */
export const EXIT_CODES: { readonly ok: 0; readonly failed: 1; readonly usage: 2 } = {
  /** Everything the command was asked to do succeeded. */
  ok: 0,
  /** The command ran and something failed; stderr names the `NG_ERR_…` code. */
  failed: 1,
  /** The command line was wrong (unknown option, missing argument, bad value). */
  usage: 2,
};

const ROOT_HELP_FOOTER = `
Exit codes (every command):
  0  success
  1  failed: each failure is one line on stderr, "nextgen: …", naming its NG_ERR_ code
  2  usage error (unknown option, missing argument, invalid value)

Commands that print data take --json. Error codes are explained in docs/errors.md.`;

/**
 * Builds the `nextgen` command with every subcommand registered. Exposed so that tests
 * and hosts can run the CLI in-process (`await createProgram().parseAsync(argv)`).
 *
 * @example
 * ```ts
 * import { createProgram } from "@nextgen/cli";
 * await createProgram().parseAsync(["node", "nextgen", "--help"]);
 * ```
 */
export function createProgram(): Command {
  const program = new Command("nextgen")
    .description("Sign, verify, pack and back up @nextgen agent templates.")
    .version(VERSION)
    // A short hint rather than the whole help: the error line stays visible in a terminal or a log.
    // Set before registering, so every subcommand inherits it.
    .showHelpAfterError("(add --help for usage)")
    .configureHelp({ sortSubcommands: true })
    .addHelpText("after", ROOT_HELP_FOOTER);
  for (const register of commandRegistrations) register(program);
  return program;
}
