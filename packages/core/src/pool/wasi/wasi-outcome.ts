// Turns how a call ended (in the worker, or in the pool around it) into the tool's result
// or a `WasiToolError` with its own code per kind of failure.
import { NextGenError } from "../../errors/next-gen-error.js";
import type { WasiCallOutcome } from "./wasi-call.js";
import { WasiToolError } from "./wasi-tool-error.js";

/** stdout as the result: JSON when it parses, the text otherwise. */
function parseStdout(stdout: string): unknown {
  const text = stdout.trim();
  if (text.length === 0) return stdout;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return stdout;
  }
}

function lastLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  const line = lines[lines.length - 1] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** The result of a call that ran to its end in the worker, or its error. */
export function settleOutcome(tool: string, outcome: WasiCallOutcome): unknown {
  const detail = {
    exitCode: outcome.exitCode,
    stdout: outcome.stdout,
    stderr: outcome.stderr,
    denied: outcome.denied,
  };
  const said = outcome.stderr.trim().length > 0 ? `: ${lastLine(outcome.stderr)}` : "";
  switch (outcome.status) {
    case "exited":
      if (outcome.exitCode === 0) return parseStdout(outcome.stdout);
      break;
    case "oom":
      throw new WasiToolError(
        "NG_ERR_WASI_OUT_OF_MEMORY",
        `WASI tool ${tool} ran out of memory: ${outcome.message}`,
        detail,
      );
    case "output":
      throw new WasiToolError(
        "NG_ERR_WASI_OUTPUT_TOO_LARGE",
        `WASI tool ${tool} wrote more than maxOutputBytes to stdout`,
        detail,
      );
    case "invalid":
      throw new WasiToolError("NG_ERR_WASI_MODULE_INVALID", `WASI tool ${tool}: ${outcome.message}`, detail);
    case "trap":
      break;
  }
  // The sandbox refused a file system access and the module then gave up: that is the story.
  if (outcome.denied.length > 0) {
    throw new WasiToolError(
      "NG_ERR_WASI_ACCESS_DENIED",
      `WASI tool ${tool} was refused ${outcome.denied.join(", ")}${said}`,
      detail,
    );
  }
  if (outcome.status === "trap") {
    throw new WasiToolError("NG_ERR_WASI_TRAP", `WASI tool ${tool} trapped: ${outcome.message}${said}`, detail);
  }
  throw new WasiToolError("NG_ERR_WASI_EXIT", `WASI tool ${tool} exited with code ${outcome.exitCode}${said}`, detail);
}

/** The tool's error for a pool failure around the call (timeout, crash); others unchanged. */
export function translatePoolError(tool: string, timeoutMs: number, error: unknown): unknown {
  if (NextGenError.is(error, "NG_ERR_POOL_TASK_TIMEOUT")) {
    return new WasiToolError(
      "NG_ERR_WASI_TIMEOUT",
      `WASI tool ${tool} ran longer than ${timeoutMs} ms`,
      {},
      { cause: error },
    );
  }
  if (NextGenError.is(error, "NG_ERR_POOL_WORKER_CRASHED")) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    if (cause?.code === "ERR_WORKER_OUT_OF_MEMORY") {
      return new WasiToolError(
        "NG_ERR_WASI_OUT_OF_MEMORY",
        `WASI tool ${tool} exhausted its worker's resourceLimits`,
        {},
        { cause: error },
      );
    }
  }
  return error;
}
