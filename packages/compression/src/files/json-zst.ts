import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { corruptError, optionsError } from "../errors/compression-error.js";
import { isZstdFrame } from "../frame/zstd-frame.js";
import { fileError } from "./io-error.js";

/**
 * The part of a codec the `.json.zst` helpers need (any `@nextgen/core` `Codec` fits).
 *
 * @example
 * ```ts
 * const codec: JsonZstCodec = createZstdCodec({ dictionaries: [await defaultDictionary()] });
 * await writeJsonZst("agent.json.zst", template, codec);
 * ```
 */
export interface JsonZstCodec {
  encode(input: Uint8Array): Promise<Uint8Array>;
  decode(input: Uint8Array): Promise<Uint8Array>;
}

/**
 * Reads a `.json.zst` file and parses it. A file that is plain JSON (no zstd magic number)
 * is parsed as is, so a directory can hold `.json` and `.json.zst` side by side. A file that
 * cannot be read is `NG_ERR_CODEC_IO` naming the path, the errno and the remedy.
 *
 * @example
 * ```ts
 * const template = await readJsonZst("templates/auditor.json.zst", codec);
 * ```
 */
export async function readJsonZst(path: string, codec: JsonZstCodec): Promise<unknown> {
  const bytes = new Uint8Array(
    await readFile(path).catch((error: unknown) => {
      throw fileError(error, "read", path);
    }),
  );
  const json = isZstdFrame(bytes) ? await codec.decode(bytes) : bytes;
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch (error) {
    throw corruptError(`${path} does not hold valid UTF-8 JSON`, error);
  }
}

// JSON.stringify returns undefined for undefined, functions and symbols: writing that would
// store an empty frame that no reader can parse.
function serialize(value: unknown): Uint8Array {
  const json = JSON.stringify(value);
  if (json === undefined) throw optionsError("value", "is not serialisable as JSON");
  return new TextEncoder().encode(json);
}

/**
 * Writes `value` (serialised as JSON, or bytes used as they are) as a zstd frame to `path`,
 * atomically: a temporary file in the same directory, then a rename. A failed write (full disk,
 * no permission, missing directory) is `NG_ERR_CODEC_IO` naming the path and the remedy, and
 * leaves the previous file intact and no temporary file behind.
 *
 * @example
 * ```ts
 * await writeJsonZst("templates/auditor.json.zst", template, codec);
 * ```
 */
export async function writeJsonZst(path: string, value: unknown, codec: JsonZstCodec): Promise<void> {
  const bytes = value instanceof Uint8Array ? value : serialize(value);
  const frame = await codec.encode(bytes);
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temporary, "wx", 0o644);
    try {
      await handle.writeFile(frame);
      // Flushed before the rename: after a power cut the path holds the old file or the whole new one.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw fileError(error, "write", path);
  }
}
