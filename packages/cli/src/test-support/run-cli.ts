import type { Command } from "commander";
import { vi } from "vitest";
import { failureLine } from "../commands/failure-line.js";
import { createProgram } from "../program.js";

/** What one in-process `nextgen` invocation printed and how it exited. */
export interface CliRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Runs `nextgen …args` in-process (tests only): captures stdout/stderr, including what
 * commander prints for `--help` and usage errors, and turns commander's exits and thrown
 * errors into an exit code instead of ending the test process. A thrown coded error is
 * reported as `NG_ERR_…: message` on stderr, as the real binary prints it.
 */
export async function runCli(...args: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const previous = process.exitCode;
  process.exitCode = 0;
  try {
    const program = createProgram();
    const capture = (command: Command): void => {
      command.exitOverride();
      command.configureOutput({ writeOut: (text) => (stdout += text), writeErr: (text) => (stderr += text) });
      for (const child of command.commands) capture(child);
    };
    capture(program);
    await program.parseAsync(["node", "nextgen", ...args]);
    return { stdout, stderr, exitCode: Number(process.exitCode ?? 0) };
  } catch (error) {
    const { code, exitCode } = error as { code?: string; exitCode?: number };
    // Commander's own exits (help, usage errors) have printed already; anything else is a
    // failure, printed as the binary prints it: one line naming the NG_ERR code.
    if (code?.startsWith("commander."))
      return { stdout, stderr: `${stderr}${(error as Error).message}`, exitCode: exitCode ?? 1 };
    return { stdout, stderr: `${stderr}${failureLine(undefined, error)}`, exitCode: 1 };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = previous;
  }
}
