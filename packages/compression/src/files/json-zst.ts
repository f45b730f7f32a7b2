import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { corruptError } from "../errors/compression-error.js";
import { isZstdFrame } from "../frame/zstd-frame.js";

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
 * is parsed as is, so a directory can hold `.json` and `.json.zst` side by side.
 *
 * @example
 * ```ts
 * const template = await readJsonZst("templates/auditor.json.zst", codec);
 * ```
 */
export async function readJsonZst(path: string, codec: JsonZstCodec): Promise<unknown> {
  const bytes = new Uint8Array(await readFile(path));
  const json = isZstdFrame(bytes) ? await codec.decode(bytes) : bytes;
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch (error) {
    throw corruptError(`${path} does not hold valid UTF-8 JSON`, error);
  }
}

/**
 * Writes `value` (serialised as JSON, or bytes used as they are) as a zstd frame to `path`,
 * atomically: a temporary file in the same directory, then a rename.
 *
 * @example
 * ```ts
 * await writeJsonZst("templates/auditor.json.zst", template, codec);
 * ```
 */
export async function writeJsonZst(path: string, value: unknown, codec: JsonZstCodec): Promise<void> {
  const bytes = value instanceof Uint8Array ? value : new TextEncoder().encode(JSON.stringify(value));
  const frame = await codec.encode(bytes);
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, frame, { flag: "wx" });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
