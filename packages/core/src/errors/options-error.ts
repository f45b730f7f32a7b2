import { NextGenError } from "./next-gen-error.js";

/**
 * Raised at construction when an option is out of range or of the wrong type. The
 * message names the option (`options.maxThreads must be ≥ options.minThreads`).
 *
 * @example
 * ```ts
 * try {
 *   createAgentFactory({ source, trust, kinds, cache: { maxEntries: 0 } });
 * } catch (error) {
 *   if (error instanceof OptionsError) console.error(error.option); // "options.cache.maxEntries"
 * }
 * ```
 */
export class OptionsError extends NextGenError {
  override readonly name: string = "NextGenOptionsError";
  /** Dotted path of the offending option, such as `options.cache.layers[0]`. */
  readonly option: string;

  constructor(option: string, message: string, options?: { cause?: unknown }) {
    super("NG_ERR_OPTIONS_INVALID", `${option} ${message}`, options);
    this.option = option;
  }
}
