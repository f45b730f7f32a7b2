// Validates `wasiTool` options at construction, so a bad grant fails when the tool is
// made, naming the option, and never at a model's first call.
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { OptionsError } from "../../errors/options-error.js";
import { PAGE_BYTES } from "./memory-limit.js";
import type { WasiToolOptions } from "./wasi-tool-types.js";

/** Options after defaults and validation. */
export interface ResolvedWasiOptions {
  /** `[guest path, absolute host directory, writable]`, in WASI's fd order. */
  readonly preopens: [string, string, boolean][];
  readonly env: Record<string, string>;
  readonly memoryLimitBytes: number;
  readonly maxPages: number;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
  readonly maxStderrBytes: number;
}

const DEFAULT_MEMORY_LIMIT_BYTES = 128 * 1024 * 1024;
/** WebAssembly's 32-bit address space: 65536 pages. */
const MAX_PAGES = 65_536;

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

function plainRecord(value: unknown, option: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new OptionsError(option, "must be an object of strings");
  }
  return value as Record<string, unknown>;
}

/** Applies defaults and throws `OptionsError` naming the first bad option. */
export function resolveWasiOptions(options: WasiToolOptions): ResolvedWasiOptions {
  const writable = options.writable ?? [];
  if (!Array.isArray(writable) || writable.some((path) => typeof path !== "string")) {
    throw new OptionsError("options.writable", "must be an array of guest paths (keys of options.preopens)");
  }
  const preopens: [string, string, boolean][] = [];
  for (const [guest, host] of Object.entries(plainRecord(options.preopens ?? {}, "options.preopens"))) {
    const option = `options.preopens[${JSON.stringify(guest)}]`;
    if (guest.length === 0 || guest.includes("\0"))
      throw new OptionsError("options.preopens", "has an empty guest path");
    if (typeof host !== "string" || host.length === 0) throw new OptionsError(option, "must be a host directory");
    const directory = resolve(host);
    let isDirectory = false;
    try {
      isDirectory = statSync(directory).isDirectory();
    } catch {
      // reported below
    }
    if (!isDirectory) throw new OptionsError(option, `is not a directory: ${directory}`);
    preopens.push([guest, directory, writable.includes(guest)]);
  }
  for (const guest of writable) {
    if (!preopens.some(([path]) => path === guest)) {
      throw new OptionsError(
        "options.writable",
        `names ${JSON.stringify(guest)}, which is not a key of options.preopens`,
      );
    }
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(plainRecord(options.env ?? {}, "options.env"))) {
    if (name.length === 0 || name.includes("=") || name.includes("\0")) {
      throw new OptionsError("options.env", `has an invalid variable name ${JSON.stringify(name)}`);
    }
    if (typeof value !== "string" || value.includes("\0"))
      throw new OptionsError(`options.env.${name}`, "must be a string");
    env[name] = value;
  }
  const memoryLimitBytes = options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
  if (
    !isPositiveInteger(memoryLimitBytes) ||
    memoryLimitBytes < PAGE_BYTES ||
    memoryLimitBytes > MAX_PAGES * PAGE_BYTES
  ) {
    throw new OptionsError(
      "options.memoryLimitBytes",
      `must be an integer from ${PAGE_BYTES} to ${MAX_PAGES * PAGE_BYTES}`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!isPositiveInteger(timeoutMs))
    throw new OptionsError("options.timeoutMs", "must be an integer number of milliseconds > 0");
  const maxOutputBytes = options.maxOutputBytes ?? 1024 * 1024;
  if (!isPositiveInteger(maxOutputBytes)) throw new OptionsError("options.maxOutputBytes", "must be an integer > 0");
  const maxStderrBytes = options.maxStderrBytes ?? 64 * 1024;
  if (!isPositiveInteger(maxStderrBytes)) throw new OptionsError("options.maxStderrBytes", "must be an integer > 0");
  const maxPages = Math.floor(memoryLimitBytes / PAGE_BYTES);
  return {
    preopens,
    env,
    memoryLimitBytes: maxPages * PAGE_BYTES,
    maxPages,
    timeoutMs,
    maxOutputBytes,
    maxStderrBytes,
  };
}
