import { NextGenError } from "@nextgen/core";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";
import { assertSafeRelativePath } from "../fs/safe-path.js";
import type { TarFile } from "./tar-writer.js";

const BLOCK = 512;

function invalid(reason: string): NextGenError<BackupErrorCode> {
  return new NextGenError<BackupErrorCode>(
    "NG_ERR_BACKUP_ARCHIVE_INVALID",
    `Not a valid backup tar stream: ${reason}.`,
  );
}

function readString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString("utf8");
}

function readOctal(block: Buffer, offset: number, length: number): number {
  const text = readString(block, offset, length).trim();
  if (!/^[0-7]+$/.test(text)) throw invalid(`bad octal field at ${offset}`);
  return Number.parseInt(text, 8);
}

function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const length = Number(data.subarray(offset, space).toString("ascii"));
    if (space === -1 || !Number.isInteger(length) || length <= 0) throw invalid("bad PAX record");
    const record = data.subarray(space + 1, offset + length - 1).toString("utf8");
    const equals = record.indexOf("=");
    records.set(record.slice(0, equals), record.slice(equals + 1));
    offset += length;
  }
  return records;
}

/**
 * Reads a tar stream as written by `writeTar` (and by any POSIX tar for regular files):
 * checks every header checksum, accepts regular files and PAX `path` records only, and
 * refuses any path that could escape the extraction directory.
 */
export function readTar(archive: Buffer): TarFile[] {
  const files: TarFile[] = [];
  let offset = 0;
  let paxPath: string | undefined;
  const seen = new Set<string>();
  while (offset + BLOCK <= archive.length) {
    const block = archive.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) return files;
    const stored = readOctal(block, 148, 8);
    let sum = 0;
    for (let index = 0; index < BLOCK; index++) sum += index >= 148 && index < 156 ? 0x20 : (block[index] ?? 0);
    if (sum !== stored) throw invalid(`header checksum mismatch at byte ${offset}`);
    const size = readOctal(block, 124, 12);
    const type = readString(block, 156, 1) || "0";
    const dataStart = offset + BLOCK;
    if (dataStart + size > archive.length) throw invalid("truncated entry");
    const data = archive.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x") {
      paxPath = parsePax(data).get("path");
      continue;
    }
    if (type === "5") continue; // a directory entry from another tar: implied by the file paths
    if (type !== "0") throw invalid(`entry type ${JSON.stringify(type)} is not a regular file`);
    const prefix = readString(block, 345, 155);
    const name = readString(block, 0, 100);
    const path = paxPath ?? (prefix === "" ? name : `${prefix}/${name}`);
    paxPath = undefined;
    if (seen.has(path)) throw invalid(`duplicate entry ${JSON.stringify(path)}`);
    seen.add(path);
    files.push({ path: assertSafeRelativePath(path), data: Buffer.from(data) });
  }
  throw invalid("missing end-of-archive marker");
}
