// Public API of @nextgen/cli, listed by name: the `nextgen` binary is the product; its program
// is exported for in-process use (tests, embedding the commands in another CLI).

// The program and its exit codes.

export type { CommandRegistration } from "./commands/index.js";
export { createProgram, EXIT_CODES } from "./program.js";
