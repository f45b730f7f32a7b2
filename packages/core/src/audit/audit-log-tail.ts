import type { FileHandle } from "node:fs/promises";
import { open, readdir, stat, truncate } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { NextGenError } from "../errors/next-gen-error.js";
import { AUDIT_GENESIS_HASH, auditRecordHash } from "./audit-hash.js";
import { auditRecordLine } from "./audit-record-line.js";
import type { AuditRecord } from "./audit-sink.js";

/** Bytes read from the end of a log to find its last record (records are far smaller). */
const TAIL_BYTES = 64 * 1024;

/** Where a log's chain stands: the next record continues from here. @internal */
export interface ChainHead {
  seq: number;
  prev: string;
}

/** Numbers of the rotated files of `path` (`audit.log.1`, `audit.log.2`, …), ascending. @internal */
export async function rotatedNumbers(path: string): Promise<number[]> {
  const prefix = `${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  return names
    .filter((name) => name.startsWith(prefix) && /^[1-9][0-9]*$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b);
}

async function readTail(handle: FileHandle, size: number): Promise<string> {
  const length = Math.min(size, TAIL_BYTES);
  const buffer = Buffer.alloc(length);
  await handle.read(buffer, 0, length, size - length);
  return buffer.toString("utf8");
}

/**
 * Reads the last record of `path` and checks its own hash, so a new record never chains
 * onto a line nobody can vouch for. A torn last line (a crash mid-write, never reported
 * as written) is cut off. `undefined` when the file is absent or empty.
 * @internal
 */
export async function readChainHead(path: string, repairTornTail: boolean): Promise<ChainHead | undefined> {
  const size = await stat(path).then(
    (stats) => stats.size,
    () => 0,
  );
  if (size === 0) return undefined;
  const handle = await open(path, "r");
  let text: string;
  try {
    text = await readTail(handle, size);
  } finally {
    await handle.close();
  }
  let end = text.length;
  if (!text.endsWith("\n")) {
    const cut = text.lastIndexOf("\n");
    if (cut === -1 && size > TAIL_BYTES) throw invalid(path, "its last line is longer than 64 KiB");
    if (repairTornTail) await truncate(path, size - Buffer.byteLength(text.slice(cut + 1)));
    end = cut + 1;
    if (end === 0) return undefined;
  }
  const start = text.lastIndexOf("\n", end - 2) + 1;
  const line = text.slice(start, end - 1);
  let record: AuditRecord;
  try {
    record = JSON.parse(line) as AuditRecord;
  } catch (error) {
    throw invalid(path, "its last line is not JSON", error);
  }
  if (
    typeof record !== "object" ||
    record === null ||
    !Number.isSafeInteger(record.seq) ||
    typeof record.hash !== "string" ||
    auditRecordHash(record) !== record.hash
  ) {
    throw invalid(path, "its last record does not match its own hash");
  }
  if (line !== auditRecordLine(record)) throw invalid(path, "its last line is not in the log's exact form (edited)");
  return { seq: record.seq, prev: record.hash };
}

/** The head of the whole log: the live file, else its newest rotated file, else the genesis. @internal */
export async function findChainHead(path: string): Promise<ChainHead> {
  const live = await readChainHead(path, true);
  if (live) return live;
  const rotated = await rotatedNumbers(path);
  const newest = rotated.at(-1);
  const head = newest === undefined ? undefined : await readChainHead(join(`${path}.${newest}`), false);
  return head ?? { seq: 0, prev: AUDIT_GENESIS_HASH };
}

function invalid(path: string, why: string, cause?: unknown): NextGenError {
  return new NextGenError(
    "NG_ERR_AUDIT_LOG_INVALID",
    `Cannot continue the audit log ${path}: ${why}. Verify it with \`nextgen audit verify\` and move it aside.`,
    cause === undefined ? undefined : { cause },
  );
}
