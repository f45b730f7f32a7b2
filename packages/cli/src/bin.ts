#!/usr/bin/env node
import { NextGenError } from "@nextgen/core";
import { type Command, CommanderError } from "commander";
import { createProgram, EXIT_CODES } from "./program.js";

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
    const reason = error instanceof Error ? error.message : String(error);
    const code = NextGenError.is(error) ? `${error.code}: ` : "";
    process.stderr.write(`nextgen: ${code}${reason}\n`);
    process.exitCode = EXIT_CODES.failed;
  }
}
