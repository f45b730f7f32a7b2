import { createRequire } from "node:module";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { CompressionError, corruptError, tooLargeError } from "../errors/compression-error.js";

// fzstd 0.1.x loops forever on some corrupted frames (a Huffman weight table whose FSE states
// read zero bits never advances), and a synchronous loop in this thread cannot be interrupted:
// no timer, tier timeout or abort signal would ever fire. So fzstd only ever runs in a worker
// thread with a work budget; a decode that exceeds it has its worker terminated and is refused.

/** Fixed part of the work budget of one frame, in milliseconds. */
const BASE_BUDGET_MS = 2_000;
/** Added per MiB of allowed output: fzstd decodes well above 50 MiB/s, this allows ~4 MiB/s. */
const BUDGET_MS_PER_MIB = 250;
/** How long a new worker may take to start and load fzstd before the backend is unavailable. */
const START_TIMEOUT_MS = 15_000;

/**
 * The work budget, in milliseconds, of decoding one fzstd frame allowed to produce `limit`
 * bytes. @internal
 *
 * @example
 * ```ts
 * fzstdBudgetMs(16 * 2 ** 20); // 6000
 * ```
 */
export function fzstdBudgetMs(limit: number): number {
  return BASE_BUDGET_MS + Math.ceil(limit / 2 ** 20) * BUDGET_MS_PER_MIB;
}

interface DecodeRequest {
  readonly frame: Uint8Array;
  readonly limit: number;
  readonly contentSize: number | undefined;
}

type DecodeReply =
  | { readonly ok: true; readonly output: Uint8Array }
  | { readonly ok: false; readonly tooLarge: boolean; readonly message: string };

// CommonJS, evaluated in the worker: fzstd is loaded by the absolute path resolved here, so the
// worker finds the same copy whatever its working directory. Each reply is posted, then the
// shared flag is raised, so `receiveMessageOnPort` finds the reply once the wait returns.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { decompress, Decompress } = require(workerData.fzstd);
const flag = new Int32Array(workerData.flag);
const port = workerData.port;
class OutputLimitReached extends Error {}
function streamed(frame, limit) {
  const chunks = [];
  let produced = 0;
  const stream = new Decompress((chunk) => {
    produced += chunk.byteLength;
    if (produced > limit) throw new OutputLimitReached();
    chunks.push(chunk.slice());
  });
  for (let offset = 0; offset < frame.byteLength; offset += 1024) {
    const end = Math.min(offset + 1024, frame.byteLength);
    stream.push(frame.subarray(offset, end), end === frame.byteLength);
  }
  const output = new Uint8Array(produced);
  let position = 0;
  for (const chunk of chunks) { output.set(chunk, position); position += chunk.byteLength; }
  return output;
}
port.on("message", ({ frame, limit, contentSize }) => {
  let reply;
  try {
    const output = contentSize === undefined ? streamed(frame, limit) : decompress(frame, new Uint8Array(contentSize));
    reply = { ok: true, output };
  } catch (error) {
    reply = { ok: false, tooLarge: error instanceof OutputLimitReached, message: String(error && error.message) };
  }
  port.postMessage(reply, reply.ok ? [reply.output.buffer] : []);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
port.postMessage({ ready: true });
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
`;

let fzstdPath: string | undefined;

/** The next message on `port`, or `undefined` after `timeoutMs`. */
function nextMessage<T>(port: MessagePort, timeoutMs: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      port.off("message", onMessage);
      resolve(undefined);
    }, timeoutMs);
    const onMessage = (message: T): void => {
      clearTimeout(timer);
      resolve(message);
    };
    port.once("message", onMessage);
  });
}

/** One worker running fzstd, restarted after a decode that ran out of budget. @internal */
export class FzstdSandbox {
  #worker: Worker | undefined;
  #port: MessagePort | undefined;
  #flag: Int32Array | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  /** Decodes one frame in the worker, blocking this thread at most the frame's budget. */
  decodeSync(request: DecodeRequest): Uint8Array {
    if (this.#worker === undefined) {
      const { port, flag } = this.#spawn();
      const booted = Atomics.wait(flag, 0, 0, START_TIMEOUT_MS) !== "timed-out" && receiveMessageOnPort(port);
      if (!booted) this.#unavailable();
    }
    const { port, flag, budgetMs } = this.#send(request);
    const outcome = Atomics.wait(flag, 0, 0, budgetMs);
    const reply = outcome === "timed-out" ? undefined : receiveMessageOnPort(port);
    return this.#settle(reply?.message as DecodeReply | undefined, request.limit, budgetMs);
  }

  /** Decodes one frame in the worker without blocking; requests run one at a time. */
  decode(request: DecodeRequest): Promise<Uint8Array> {
    const run = this.#queue.then(() => this.#decodeAsync(request));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #decodeAsync(request: DecodeRequest): Promise<Uint8Array> {
    if (this.#worker === undefined) {
      const { port } = this.#spawn();
      if ((await nextMessage(port, START_TIMEOUT_MS)) === undefined) this.#unavailable();
    }
    const { port, budgetMs } = this.#send(request);
    const reply = await nextMessage<DecodeReply>(port, budgetMs);
    return this.#settle(reply, request.limit, budgetMs);
  }

  #send(request: DecodeRequest): { port: MessagePort; flag: Int32Array; budgetMs: number } {
    const port = this.#port!;
    const flag = this.#flag!;
    Atomics.store(flag, 0, 0);
    port.postMessage(request);
    return { port, flag, budgetMs: fzstdBudgetMs(request.limit) };
  }

  #unavailable(): never {
    this.#stop();
    throw new CompressionError(
      "NG_ERR_CODEC_UNAVAILABLE",
      `the fzstd decoder thread did not start within ${START_TIMEOUT_MS} ms`,
    );
  }

  #spawn(): { port: MessagePort; flag: Int32Array } {
    fzstdPath ??= createRequire(import.meta.url).resolve("fzstd");
    const channel = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { fzstd: fzstdPath, flag: flag.buffer, port: channel.port2 },
      transferList: [channel.port2],
      // A frame's output is bounded by maxOutputBytes; the worker needs no more heap than that.
      stderr: false,
    });
    // The sandbox must never keep a host process alive, nor crash it if the worker dies.
    worker.unref();
    worker.on("error", () => this.#stop());
    channel.port1.unref();
    this.#worker = worker;
    this.#port = channel.port1;
    this.#flag = flag;
    return { port: channel.port1, flag };
  }

  #stop(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#port?.close();
    this.#port = undefined;
    this.#flag = undefined;
    void worker?.terminate();
  }

  #settle(reply: DecodeReply | undefined, limit: number, budgetMs: number): Uint8Array {
    if (reply === undefined) {
      this.#stop();
      throw corruptError(
        `zstd frame failed to decode (fzstd): gave up after its work budget of ${budgetMs} ms (a corrupted frame can make fzstd loop)`,
      );
    }
    if (reply.ok) return reply.output;
    if (reply.tooLarge) throw tooLargeError(limit, "decoded frame");
    throw corruptError(`zstd frame failed to decode (fzstd): ${reply.message}`);
  }
}
