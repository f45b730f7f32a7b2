import { NextGenError } from "@nextgen/core";
import type { ServiceErrorCode } from "../errors/service-error-codes.js";

/**
 * A configuration variable is invalid. The message is one line that starts with the
 * variable's name (`PORT: must be an integer 0–65535, got "http"`), and `main` prints it
 * after the code before exiting with status 78 (EX_CONFIG).
 *
 * @example
 * ```ts
 * throw new ConfigError("PORT", `must be an integer 0–65535, got "${value}"`);
 * ```
 */
export class ConfigError extends NextGenError<ServiceErrorCode> {
  override readonly name: string = "ConfigError";
  /** The environment variable at fault. */
  readonly variable: string;

  constructor(variable: string, problem: string, options?: { cause?: unknown }) {
    super("NG_ERR_SERVICE_CONFIG", `${variable}: ${problem}`, options);
    this.variable = variable;
  }
}
