import { createHash } from "node:crypto";
import type { Codec } from "../codec/codec.js";
import type { CacheEntry } from "./cache-tier.js";

/** Suffix of entries written through a codec. @internal */
export const ENTRY_SUFFIX = ".json.zst";

/**
 * The file name of `key`: a hash, so that any key (`../x`, `sha256:…`, Unicode, case)
 * maps to a safe, fixed-length name and never to a path outside the directory.
 * @internal
 */
export function entryFileName(key: string, suffix: string): string {
  return `${createHash("sha256").update(key).digest("hex").slice(0, 40)}${suffix}`;
}

/** Whether `file` is an entry this tier wrote (a 40-hex-digit name and the suffix). @internal */
export function isEntryFileName(file: string, suffix: string): boolean {
  return file.length === 40 + suffix.length && file.endsWith(suffix) && /^[0-9a-f]{40}$/.test(file.slice(0, 40));
}

/** Whether `file` is a temporary file of an interrupted write of this tier (`.partial`, or `.tmp` of older versions). @internal */
export function isPartialFileName(file: string, suffix: string): boolean {
  return /^\.[0-9a-f]{40}/.test(file) && (file.endsWith(".partial") || file.endsWith(".tmp")) && file.includes(suffix);
}

interface Envelope {
  v: 1;
  key: string;
  storedAt: number;
  expiresAt?: number;
  /** The value when it is UTF-8 text (templates are): kept readable and compressible. */
  text?: string;
  /** The value otherwise. */
  base64?: string;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/**
 * The bytes of one entry file: a JSON envelope (key, times, value), through the codec
 * when there is one. The key inside lets a read detect a misplaced or swapped file.
 * @internal
 */
export async function encodeEnvelope(
  key: string,
  value: Uint8Array,
  storedAt: number,
  expiresAt: number | undefined,
  codec: Codec | undefined,
): Promise<Uint8Array> {
  const envelope: Envelope = { v: 1, key, storedAt };
  if (expiresAt !== undefined) envelope.expiresAt = expiresAt;
  try {
    envelope.text = strictUtf8.decode(value);
  } catch {
    envelope.base64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  }
  const json = encoder.encode(JSON.stringify(envelope));
  return codec === undefined ? json : codec.encode(json);
}

/**
 * The entry in `raw`, read back; throws when the file is corrupt or holds another key.
 * @internal
 */
export async function decodeEnvelope(raw: Uint8Array, key: string, codec: Codec | undefined): Promise<CacheEntry> {
  const json = codec === undefined ? raw : await codec.decode(raw);
  const envelope = JSON.parse(strictUtf8.decode(json)) as Partial<Envelope>;
  if (envelope.v !== 1 || envelope.key !== key || typeof envelope.storedAt !== "number") {
    throw new Error("not an entry of this key");
  }
  let value: Uint8Array;
  if (typeof envelope.text === "string") value = encoder.encode(envelope.text);
  else if (typeof envelope.base64 === "string") value = new Uint8Array(Buffer.from(envelope.base64, "base64"));
  else throw new Error("entry without a value");
  const entry: CacheEntry = { value, storedAt: envelope.storedAt };
  if (typeof envelope.expiresAt === "number") entry.expiresAt = envelope.expiresAt;
  return entry;
}
