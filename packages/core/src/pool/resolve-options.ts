import { availableParallelism } from "node:os";
import { basename } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Clock, monotonicClock } from "../clock/clock.js";
import { OptionsError } from "../errors/options-error.js";
import { queueWaitPolicy } from "./scaling-policy.js";
import type { ScalingPolicy } from "./scaling-types.js";
import type { WorkerPoolOptions } from "./types.js";

/** Options after defaults and validation. */
export interface ResolvedPoolOptions {
  readonly moduleUrl: string;
  readonly name: string;
  readonly minThreads: number;
  readonly maxThreads: number;
  readonly idleTimeoutMs: number;
  readonly maxQueue: number;
  readonly taskTimeoutMs: number | undefined;
  readonly policy: ScalingPolicy;
  readonly intervalMs: number;
  readonly cpuCount: number;
  readonly clock: Clock;
  readonly fastPath: boolean;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

function isDuration(value: unknown): value is number {
  return typeof value === "number" && value > 0 && (Number.isFinite(value) || value === Number.POSITIVE_INFINITY);
}

/** Applies defaults and throws `OptionsError` naming the first bad option. */
export function resolvePoolOptions(options: WorkerPoolOptions): ResolvedPoolOptions {
  if (typeof options !== "object" || options === null) throw new OptionsError("options", "must be an object");
  const { filename } = options;
  let moduleUrl: string;
  if (filename instanceof URL) moduleUrl = filename.href;
  else if (typeof filename === "string" && filename.startsWith("file:")) moduleUrl = new URL(filename).href;
  else if (typeof filename === "string" && /^[a-z][a-z\d+.-]+:\/\//i.test(filename)) moduleUrl = filename;
  else if (typeof filename === "string" && filename.length > 0) moduleUrl = pathToFileURL(filename).href;
  else throw new OptionsError("options.filename", "must be a path, a file: URL string or a URL");
  if (!moduleUrl.startsWith("file:")) throw new OptionsError("options.filename", "must be a local file");

  const cpuCount = availableParallelism();
  const maxThreads = options.maxThreads ?? "auto";
  if (maxThreads !== "auto" && (!isCount(maxThreads) || maxThreads < 1)) {
    throw new OptionsError("options.maxThreads", 'must be an integer ≥ 1 or "auto"');
  }
  const max = maxThreads === "auto" ? cpuCount * 2 : maxThreads;
  const minThreads = options.minThreads ?? Math.min(1, max);
  if (!isCount(minThreads)) throw new OptionsError("options.minThreads", "must be an integer ≥ 0");
  if (minThreads > max) throw new OptionsError("options.maxThreads", "must be ≥ options.minThreads");
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  if (!isDuration(idleTimeoutMs))
    throw new OptionsError("options.idleTimeoutMs", "must be a number of milliseconds > 0");
  const maxQueue = options.maxQueue ?? Number.POSITIVE_INFINITY;
  if (!(maxQueue === Number.POSITIVE_INFINITY || isCount(maxQueue))) {
    throw new OptionsError("options.maxQueue", "must be an integer ≥ 0 or Infinity");
  }
  if (options.taskTimeoutMs !== undefined && !isDuration(options.taskTimeoutMs)) {
    throw new OptionsError("options.taskTimeoutMs", "must be a number of milliseconds > 0");
  }
  const policy = options.scaling?.policy ?? queueWaitPolicy;
  if (typeof policy !== "function") throw new OptionsError("options.scaling.policy", "must be a function");
  const intervalMs = options.scaling?.intervalMs ?? 100;
  if (!isDuration(intervalMs) || !Number.isFinite(intervalMs)) {
    throw new OptionsError("options.scaling.intervalMs", "must be a finite number of milliseconds > 0");
  }
  const clock = options.clock ?? monotonicClock;
  if (typeof clock !== "object" || clock === null || typeof clock.now !== "function") {
    throw new OptionsError("options.clock", "must be a Clock ({ now() } in milliseconds)");
  }
  const fastPath = options.fastPath ?? true;
  if (typeof fastPath !== "boolean") throw new OptionsError("options.fastPath", "must be a boolean");
  const name = options.name ?? basename(fileURLToPath(moduleUrl)).replace(/\.[cm]?[jt]s$/, "");
  return {
    moduleUrl,
    name,
    minThreads,
    maxThreads: max,
    idleTimeoutMs,
    maxQueue,
    taskTimeoutMs: options.taskTimeoutMs,
    policy,
    intervalMs,
    cpuCount,
    clock,
    fastPath,
  };
}
