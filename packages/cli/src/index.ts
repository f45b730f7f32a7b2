// Public API of @nextgen/cli: the `nextgen` binary, plus its program for in-process use.

export type { CommandRegistration } from "./commands/index.js";
export { createProgram, EXIT_CODES } from "./program.js";
