import type { Command } from "commander";

/** Registers one subcommand (or a group) on the root program. */
export type CommandRegistration = (program: Command) => void;

/** Every subcommand of `nextgen`, in help order. Each lives in its own file. */
export const commandRegistrations: CommandRegistration[] = [];
