// Task module of a WASI tool's calls, run inside a pool worker (the tool's own pool, or an
// agent pool that names this module per task). Each call gets a fresh instance, a fresh
// `node:wasi` context and a fresh sandbox: nothing survives from one call to the next.
import { openSync } from "node:fs";
import { devNull } from "node:os";
import { WASI } from "node:wasi";
import { MemoryLimitReached, OutputLimitReached, Sandbox } from "./sandbox-imports.js";
import type { WasiCallOutcome, WasiCallPayload, WasiCallStatus } from "./wasi-call.js";
import { type WasmInstance, wasm } from "./wasm-api.js";

const PAGE_BYTES = 65_536;
/** The module's view of stdin/stdout/stderr is the sandbox's buffers; the host's own never reach it. */
let nullFd: number | undefined;

/** Runs one call of a WASI tool and reports how it ended. Exported for `bench/wasi.mjs`'s in-process column. */
export default function runWasiCall(payload: WasiCallPayload): WasiCallOutcome {
  nullFd ??= openSync(devNull, "r+");
  const preopens: Record<string, string> = {};
  for (const [guest, host] of payload.preopens) preopens[guest] = host;
  const wasi = new WASI({
    version: "preview1",
    args: payload.args,
    env: payload.env,
    preopens,
    stdin: nullFd,
    stdout: nullFd,
    stderr: nullFd,
    returnOnExit: true,
  });
  const sandbox = new Sandbox(wasi.wasiImport as Record<string, (...args: never[]) => unknown>, {
    stdin: payload.stdin,
    preopens: payload.preopens.map(([, host, writable]) => [host, writable] as const),
    memoryLimitBytes: payload.memoryLimitBytes,
    maxOutputBytes: payload.maxOutputBytes,
    maxStderrBytes: payload.maxStderrBytes,
  });
  const outcome = (status: WasiCallStatus, message: string, exitCode?: number): WasiCallOutcome => ({
    status,
    exitCode,
    stdout: status === "output" ? "" : sandbox.stdout(),
    stderr: sandbox.stderr(),
    denied: sandbox.denied,
    message,
  });

  let instance: WasmInstance;
  try {
    instance = new wasm.Instance(payload.module, { wasi_snapshot_preview1: sandbox.imports });
  } catch (error) {
    if (error instanceof RangeError) return outcome("oom", `memory could not be allocated: ${error.message}`);
    return outcome("invalid", `the module could not be instantiated: ${(error as Error).message}`);
  }
  const memory = instance.exports.memory;
  if (!(memory instanceof wasm.Memory)) return outcome("invalid", 'the module exports no "memory"');
  if (typeof instance.exports._start !== "function") return outcome("invalid", 'the module exports no "_start"');
  sandbox.memory = memory;
  if (memory.buffer.byteLength > payload.memoryLimitBytes) {
    return outcome("oom", `initial memory ${memory.buffer.byteLength} bytes is above the limit`);
  }
  try {
    const exitCode = wasi.start(instance as object);
    return outcome("exited", "", exitCode);
  } catch (error) {
    if (error instanceof OutputLimitReached) return outcome("output", "stdout passed maxOutputBytes");
    if (error instanceof MemoryLimitReached) return outcome("oom", error.message);
    if (error instanceof RangeError && /memory|allocat/i.test(error.message)) return outcome("oom", error.message);
    const message = error instanceof Error ? error.message : String(error);
    // A grow refused at the cap surfaces as the allocator's trap: memory is within a page of the limit.
    if (memory.buffer.byteLength + PAGE_BYTES > payload.memoryLimitBytes) {
      return outcome("oom", `memory is at its limit (${memory.buffer.byteLength} bytes); then: ${message}`);
    }
    if (error instanceof wasm.RuntimeError || error instanceof RangeError) return outcome("trap", message);
    return outcome("trap", `the module failed: ${message}`);
  }
}
