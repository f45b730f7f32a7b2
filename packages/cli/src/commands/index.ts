import type { Command } from "commander";
import { registerAudit } from "./audit.js";
import { registerBackup } from "./backup.js";
import { registerDict } from "./dict.js";
import { registerInspect } from "./inspect.js";
import { registerKeygen } from "./keygen.js";
import { registerPack } from "./pack.js";
import { registerSign } from "./sign.js";
import { registerTrust } from "./trust.js";
import { registerUnpack } from "./unpack.js";
import { registerValidate } from "./validate.js";
import { registerVerify } from "./verify.js";

/**
 * Registers one subcommand (or a group) on the root program.
 *
 * @example
 * ```ts
 * const registerHello: CommandRegistration = (program) => {
 *   program.command("hello").action(() => console.log("hello"));
 * };
 * ```
 */
export type CommandRegistration = (program: Command) => void;

/** Every subcommand of `nextgen`, in help order. Each lives in its own file. */
export const commandRegistrations: CommandRegistration[] = [
  registerKeygen,
  registerSign,
  registerVerify,
  registerValidate,
  registerInspect,
  registerTrust,
  registerBackup,
  registerAudit,
  registerDict,
  registerPack,
  registerUnpack,
];
