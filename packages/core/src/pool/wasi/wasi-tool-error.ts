import type { ErrorCode } from "../../errors/codes.js";
import { NextGenError } from "../../errors/next-gen-error.js";

/**
 * What a failed WASI call left behind, for the error.
 *
 * @example
 * ```ts
 * const detail: WasiCallDetail = { exitCode: 2, stderr: "no input\n", denied: ["path_open /etc/passwd"] };
 * ```
 */
export interface WasiCallDetail {
  /** The module's exit code, when it exited. */
  exitCode?: number | undefined;
  /** What it wrote to stdout before failing (bounded by `maxOutputBytes`). */
  stdout?: string | undefined;
  /** What it wrote to stderr (bounded by `maxStderrBytes`). */
  stderr?: string | undefined;
  /** File system calls the sandbox refused (`"path_open ../etc/passwd"`), at most 16. */
  denied?: readonly string[] | undefined;
}

/**
 * A WASI tool call that failed: a trap, an exit code ≠ 0, a timeout, the memory limit, a
 * refused file system access or too much output (see `code`). Only that call failed.
 *
 * @example
 * ```ts
 * try {
 *   await tools.get("lint")?.({ yaml });
 * } catch (error) {
 *   if (error instanceof WasiToolError) console.error(error.code, error.exitCode, error.stderr);
 * }
 * ```
 */
export class WasiToolError extends NextGenError {
  override readonly name: string = "NextGenWasiToolError";
  /** The module's exit code, when it exited. */
  readonly exitCode: number | undefined;
  /** What the module wrote to stdout before it failed. */
  readonly stdout: string;
  /** What the module wrote to stderr. */
  readonly stderr: string;
  /** File system calls the sandbox refused. */
  readonly denied: readonly string[];

  constructor(code: ErrorCode, message: string, detail: WasiCallDetail = {}, options?: { cause?: unknown }) {
    super(code, message, options);
    this.exitCode = detail.exitCode;
    this.stdout = detail.stdout ?? "";
    this.stderr = detail.stderr ?? "";
    this.denied = detail.denied ?? [];
  }
}
