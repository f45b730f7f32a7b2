import { constants } from "node:fs";
import { type FileHandle, open, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { type Clock, wallClock } from "../clock/clock.js";
import { resolveClock } from "../clock/resolve-clock.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { OptionsError } from "../errors/options-error.js";
import { auditRecordHash } from "./audit-hash.js";
import { type ChainHead, findChainHead, rotatedNumbers } from "./audit-log-tail.js";
import { auditRecordLine } from "./audit-record-line.js";
import type { AuditRecord, AuditRecordInput, AuditSink } from "./audit-sink.js";

/**
 * Options of {@link fileAuditLog}.
 *
 * @example
 * ```ts
 * const options: FileAuditLogOptions = { path: "/var/log/nextgen/audit.log", fsync: "always", maxBytes: 64 * 1024 * 1024 };
 * ```
 */
export interface FileAuditLogOptions {
  /** The live log file; rotated files sit beside it as `<path>.1`, `<path>.2`, … (higher is newer). */
  path: string;
  /**
   * When written lines are forced to disk: `always` — every batch is on disk before its
   * `append`s resolve (records appended together share one sync): the file is opened with
   * `O_DSYNC` where the platform has it, so the batch's `write` returns once its data is on
   * disk (the guarantee of `write` + `fdatasync`, in one system call), else `fdatasync`
   * follows the write; `interval` — at most every
   * `fsyncIntervalMs`, and at `close`; `never` — left to the OS.
   * @default "always"
   */
  fsync?: "always" | "interval" | "never";
  /** For `fsync: "interval"`, in milliseconds. @default 1000 */
  fsyncIntervalMs?: number;
  /** Size in bytes past which the live file is rotated (renamed to `<path>.<n>`); the chain continues. @default 67_108_864 (64 MiB) */
  maxBytes?: number;
  /** Longest string field in characters; longer ones are cut (so one record stays small). @default 1024 */
  maxFieldLength?: number;
  /**
   * The wall clock (milliseconds since the Unix epoch) that stamps each record's `time`; the
   * `fsync: "interval"` spacing is measured on it too. A value that is not a `Clock` throws
   * `NG_ERR_OPTIONS_INVALID` naming `options.clock`.
   * @default wallClock
   */
  clock?: Clock;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

interface Pending {
  event: AuditRecordInput;
  time: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * An append-only, hash-chained JSON-lines audit log: each line is an {@link AuditRecord}
 * whose `hash` covers the previous record's, so any edit, deletion or reordering breaks
 * the chain (`nextgen audit verify`). Appends are batched (group commit): the appends of one
 * event-loop turn, and those made while a write is in flight, share one `write` (and, under
 * `fsync: "always"`, one sync). On open it continues the chain of the
 * existing log (cutting a torn last line); it refuses a log whose last record does not
 * match its hash. A write failure fails the sink for good (`NG_ERR_AUDIT_WRITE`): a chain
 * with a gap would be worse than an error.
 *
 * @example
 * ```ts
 * const audit = fileAuditLog({ path: "./audit.log" });
 * const factory = createAgentFactory({ source, trust, kinds, audit });
 * await audit.append({ actor: "alice", action: "http.authorize", resource: "security/auditor", decision: "allow" });
 * await factory.close();
 * await audit.close();
 * ```
 */
export function fileAuditLog(options: FileAuditLogOptions): AuditSink {
  const { path } = options;
  if (typeof path !== "string" || path.length === 0) throw new OptionsError("options.path", "must be a file path.");
  const fsync = options.fsync ?? "always";
  if (!["always", "interval", "never"].includes(fsync)) {
    throw new OptionsError("options.fsync", `must be "always", "interval" or "never" (got ${String(fsync)}).`);
  }
  const intervalMs = positive(options.fsyncIntervalMs ?? 1000, "options.fsyncIntervalMs");
  const maxBytes = positive(options.maxBytes ?? 64 * 1024 * 1024, "options.maxBytes");
  const maxField = positive(options.maxFieldLength ?? 1024, "options.maxFieldLength");
  const clock = resolveClock(options.clock, "options.clock", wallClock);
  // One thread-pool job per batch instead of two (a write, then an fdatasync): each job costs
  // the event loop a wake-up, and a busy service appends thousands of batches a second.
  const writeThrough = fsync === "always" && typeof constants.O_DSYNC === "number";
  const openFlags =
    constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | (writeThrough ? constants.O_DSYNC : 0);

  let pending: Pending[] = [];
  let draining: Promise<void> | undefined;
  let handle: FileHandle | undefined;
  let head: ChainHead | undefined;
  let size = 0;
  let lastSync = 0;
  let unsynced = false;
  let failure: NextGenError | undefined;
  let closing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  // A lone surrogate (from the caller, or a pair split by the cut) has no RFC 8785 form: left
  // in, it would fail the write and so the sink for good. It becomes U+FFFD instead.
  const cut = (value: string | null | undefined): string | null => {
    if (value === undefined || value === null) return null;
    let text = String(value);
    if (text.length > maxField) text = `${text.slice(0, maxField - 1)}…`;
    return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATES, "\uFFFD") : text;
  };

  async function openLive(): Promise<void> {
    head ??= await findChainHead(path);
    handle = await open(path, openFlags, 0o600);
    size = (await handle.stat()).size;
  }

  async function sync(force: boolean): Promise<void> {
    if (!handle || !unsynced || fsync === "never") return;
    if (!force && fsync === "interval" && clock.now() - lastSync < intervalMs) {
      // Records written now reach the disk within the interval even if none follow.
      timer ??= setTimeout(() => {
        timer = undefined;
        sync(true).catch(() => undefined);
      }, intervalMs).unref();
      return;
    }
    await handle.datasync();
    unsynced = false;
    lastSync = clock.now();
  }

  async function rotate(): Promise<void> {
    await sync(true);
    await handle?.close();
    handle = undefined;
    const next = ((await rotatedNumbers(path)).at(-1) ?? 0) + 1;
    await rename(path, `${path}.${next}`);
    if (fsync !== "never") {
      const directory = await open(dirname(path), "r");
      await directory.sync().finally(() => directory.close());
    }
    await openLive();
  }

  async function writeBatch(batch: Pending[]): Promise<void> {
    if (!handle) await openLive();
    const chain = head!;
    let text = "";
    let { seq, prev } = chain;
    for (const { event, time } of batch) {
      const body: Omit<AuditRecord, "hash"> = {
        seq: ++seq,
        time: new Date(time).toISOString(),
        actor: cut(event.actor),
        action: cut(event.action) ?? "",
        resource: cut(event.resource),
        decision: cut(event.decision) ?? "",
        reason: cut(event.reason),
        digest: cut(event.digest),
        traceId: cut(event.traceId),
        prev,
      };
      const hash = auditRecordHash(body);
      text += `${auditRecordLine({ ...body, hash })}\n`;
      prev = hash;
    }
    const bytes = Buffer.from(text, "utf8");
    if (size > 0 && size + bytes.length > maxBytes) await rotate();
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await handle!.write(bytes, written, bytes.length - written);
      written += bytesWritten;
    }
    size += bytes.length;
    // Under O_DSYNC the write itself returned once the data was on disk.
    unsynced = !writeThrough;
    head = { seq, prev };
    await sync(false);
  }

  async function drain(): Promise<void> {
    // Let the appends of this whole event-loop turn join the batch (every request whose I/O
    // completed in it), not only those of the same microtask checkpoint: fewer, larger
    // batches, each one thread-pool job. Nobody's response waits on it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        if (failure) throw failure;
        await writeBatch(batch);
        for (const item of batch) item.resolve();
      } catch (error) {
        failure ??= NextGenError.is(error, "NG_ERR_AUDIT_LOG_INVALID")
          ? error
          : new NextGenError("NG_ERR_AUDIT_WRITE", `Cannot write the audit log ${path}: ${String(error)}`, {
              cause: error,
            });
        for (const item of [...batch, ...pending]) item.reject(failure);
        pending = [];
      }
    }
    draining = undefined;
  }

  return {
    append(event: AuditRecordInput): Promise<void> {
      if (closing) {
        return Promise.reject(new NextGenError("NG_ERR_AUDIT_CLOSED", `The audit log ${path} is closed.`));
      }
      if (failure) return Promise.reject(failure);
      if (typeof event?.action !== "string" || typeof event.decision !== "string") {
        return Promise.reject(new OptionsError("event", "must have a string action and decision."));
      }
      const time = event.time ?? clock.now();
      return new Promise<void>((resolve, reject) => {
        pending.push({ event, time, resolve, reject });
        draining ??= drain();
      });
    },
    close(): Promise<void> {
      closing ??= (async () => {
        while (draining) await draining;
        clearTimeout(timer);
        try {
          if (!failure) await sync(true);
        } finally {
          await handle?.close();
          handle = undefined;
        }
      })();
      return closing;
    },
  };
}

function positive(value: number, option: string): number {
  if (typeof value !== "number" || !(value > 0))
    throw new OptionsError(option, `must be a positive number (got ${String(value)}).`);
  return value;
}
