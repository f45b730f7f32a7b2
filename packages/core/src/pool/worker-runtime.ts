// Entry point of every pool worker. Loads the task module once, then runs tasks one at
// a time in arrival order (the pool relies on that order to know which task a crash hit).
import { createRequire, syncBuiltinESMExports } from "node:module";
import { performance } from "node:perf_hooks";
import type { MessagePort } from "node:worker_threads";
import { IdleSpin, SPIN_WINDOW_MS } from "./idle-spin.js";
import {
  READY_MESSAGE,
  REPLY_FAILED,
  REPLY_OK,
  REPLY_STRIDE,
  type RuntimeConfig,
  type TaskBatch,
  type TaskReplies,
  TRACE_CARRIER_SLOT,
} from "./protocol.js";
import { serializeError } from "./serialize-error.js";

type TaskFunction = (payload: unknown) => unknown;

const threads = createRequire(import.meta.url)("node:worker_threads") as {
  parentPort: MessagePort | null;
  workerData: unknown;
  receiveMessageOnPort(port: MessagePort): { message: unknown } | undefined;
};
const port = threads.parentPort;
if (port === null) throw new Error("@nextgen/core/pool: the worker runtime must run in a worker thread");
const config = threads.workerData as RuntimeConfig;
// The task module sees the user's `workerData`, as with Piscina.
threads.workerData = config.userData;
syncBuiltinESMExports();

const taskModule = (await import(config.moduleUrl)) as { default?: unknown };
const task = pickTaskFunction(taskModule);
const slot = globalThis as { [TRACE_CARRIER_SLOT]?: unknown };
const timeOrigin = performance.timeOrigin;

// Pending work: flat triples, as received.
let pending: unknown[] = [];
let cursor = 0;
let running = false;
let startTime = 0;
let currentId = 0;
let started = 0;
// Replies of tasks that finished, not yet posted. They are posted before the next task starts:
// a thread terminated mid-task (heap limit, exit) can then fail only that task, because
// messages posted before termination are still delivered, while unposted ones die with it.
let replies: TaskReplies = [];
const progress = config.progress;
const doorbell = config.doorbell;
let rung = Atomics.load(doorbell, 0);
const idleSpin = new IdleSpin();
/** When the worker last ran dry (`performance.now()`), 0 before the first task. */
let idleSince = 0;
/** Tasks run since the worker last ran dry. */
let tasksRun = 0;

port.on("message", (batch: TaskBatch) => {
  if (!running && idleSince !== 0) idleSpin.woken(performance.now() - idleSince);
  accept(batch);
  if (!running) drain();
});
port.postMessage(READY_MESSAGE);
// A task calling process.exit() must not take the answers of the tasks before it along.
process.once("exit", flush);

function accept(batch: TaskBatch): void {
  if (cursor === pending.length) {
    pending = batch;
    cursor = 0;
  } else {
    for (const item of batch) pending.push(item);
  }
}

function drain(): void {
  do runPending();
  while (!running && pollForWork());
}

/** Runs what is pending until it is done or a task goes asynchronous. */
function runPending(): void {
  while (cursor < pending.length) {
    flush();
    currentId = pending[cursor] as number;
    const payload = pending[cursor + 1];
    slot[TRACE_CARRIER_SLOT] = pending[cursor + 2];
    cursor += 3;
    tasksRun++;
    Atomics.store(progress, 0, ++started);
    startTime = timeOrigin + performance.now();
    let result: unknown;
    try {
      result = task(payload);
    } catch (error) {
      reply(REPLY_FAILED, serializeError(error));
      continue;
    }
    if (typeof (result as PromiseLike<unknown> | null)?.then === "function") {
      running = true;
      flush();
      (result as PromiseLike<unknown>).then(onFulfilled, onRejected);
      return;
    }
    reply(REPLY_OK, result);
  }
  running = false;
  slot[TRACE_CARRIER_SLOT] = undefined;
  flush();
}

/**
 * Having run dry, polls the doorbell for up to `SPIN_WINDOW_MS` (unless recent polls
 * found nothing) and takes a batch posted meanwhile straight off the port: a task sent
 * right after the previous answer skips the thread wake-up. True if it got work.
 */
function pollForWork(): boolean {
  idleSince = performance.now();
  const ran = tasksRun;
  tasksRun = 0;
  if (!idleSpin.shouldSpin(ran, Atomics.load(config.light, 0) === 1)) return false;
  const deadline = idleSince + SPIN_WINDOW_MS;
  do {
    const current = Atomics.load(doorbell, 0);
    if (current !== rung) {
      rung = current;
      const received = port === null ? undefined : threads.receiveMessageOnPort(port);
      if (received !== undefined) {
        idleSpin.hit();
        accept(received.message as TaskBatch);
        return true;
      }
    }
  } while (performance.now() < deadline);
  idleSpin.miss();
  return false;
}

function flush(): void {
  if (replies.length === 0) return;
  const batch = replies;
  replies = [];
  try {
    port?.postMessage(batch);
  } catch {
    // One result could not be cloned (a function, a socket, …): send them one by one so
    // that only that task fails.
    for (let index = 0; index < batch.length; index += REPLY_STRIDE) {
      const one = batch.slice(index, index + REPLY_STRIDE);
      try {
        port?.postMessage(one);
      } catch (error) {
        one[1] = REPLY_FAILED;
        one[2] = serializeError(error);
        port?.postMessage(one);
      }
    }
  }
}

function onFulfilled(value: unknown): void {
  reply(REPLY_OK, value);
  drain();
}

function onRejected(error: unknown): void {
  reply(REPLY_FAILED, serializeError(error));
  drain();
}

function reply(status: typeof REPLY_OK | typeof REPLY_FAILED, value: unknown): void {
  replies.push(currentId, status, value, startTime, timeOrigin + performance.now());
}

function pickTaskFunction(loaded: { default?: unknown }): TaskFunction {
  const candidate = loaded.default;
  if (typeof candidate === "function") return candidate as TaskFunction;
  // A CommonJS module seen through ESM interop: `module.exports = fn` or `exports.default = fn`.
  const nested = (candidate as { default?: unknown } | undefined)?.default;
  if (typeof nested === "function") return nested as TaskFunction;
  throw new TypeError(`${config.moduleUrl} has no default export function (the task function)`);
}
