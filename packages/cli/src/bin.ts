#!/usr/bin/env node
import { type Command, CommanderError } from "commander";
import { failureLine } from "./commands/failure-line.js";
import { createProgram, EXIT_CODES } from "./program.js";
import { writeErr } from "./terminal-text.js";

// Commander exits the process itself (status 1) on a usage error; overriding that on every
// command lets the binary give usage errors their own status (2), distinct from failures (1).
function throwInsteadOfExit(command: Command): void {
  command.exitOverride();
  for (const subcommand of command.commands) throwInsteadOfExit(subcommand);
}

const program = createProgram();
throwInsteadOfExit(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has already printed the message (or the help / version, exit code 0).
    process.exitCode = error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  } else {
    // One line per failure, naming its NG_ERR code (a multi-line message is joined with "; ").
    writeErr(`${failureLine(undefined, error)}\n`);
    process.exitCode = EXIT_CODES.failed;
  }
}
