import { Command } from "commander";
import { commandRegistrations } from "./commands/index.js";
import { VERSION } from "./version.js";

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
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true });
  for (const register of commandRegistrations) register(program);
  return program;
}
