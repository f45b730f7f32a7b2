import { open } from "node:fs/promises";
import type { Codec } from "../codec/codec.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { readDeclaredIdentity } from "./read-identity.js";
import type { TemplateFileName } from "./template-file-name.js";
import type { SourceEntry } from "./template-source.js";

/** What reading one template file needs. */
export interface ReadTemplateFileOptions {
  /** Decodes `.json.zst` files; without it they are refused. */
  codec: Codec | undefined;
  /** Largest file, and largest decoded template, in bytes. */
  maxBytes: number;
  /** Aborts the read. */
  signal?: AbortSignal | undefined;
}

/**
 * Wraps a system error as `NG_ERR_SOURCE_READ`; coded errors and aborts pass through as
 * they are.
 */
export function sourceReadError(path: string, error: unknown): unknown {
  if (NextGenError.is(error)) return error;
  if ((error as { name?: unknown })?.name === "AbortError") return error;
  const reason = (error as { code?: unknown })?.code ?? (error as Error)?.message ?? String(error);
  return new NextGenError("NG_ERR_SOURCE_READ", `Cannot read ${path} (${String(reason)}).`, { cause: error });
}

/**
 * Reads, size-checks and decodes one template file, then checks that the `id` (and, for
 * an `<id>@<version>` file, the `version`) it declares match its path. Shared by
 * `directorySource` and its watcher so both refuse the same files the same way.
 */
export async function readTemplateFile(
  path: string,
  name: TemplateFileName,
  options: ReadTemplateFileOptions,
): Promise<SourceEntry> {
  if (name.encoded && options.codec === undefined) {
    throw new NextGenError(
      "NG_ERR_SOURCE_CODEC_REQUIRED",
      `${path} is zstd-encoded but the source has no codec: pass directorySource(dir, { codec }) (createZstdCodec() from @nextgen/compression).`,
    );
  }
  let raw: Uint8Array;
  try {
    const handle = await open(path, "r");
    try {
      const { size } = await handle.stat();
      if (size > options.maxBytes) {
        throw new NextGenError(
          "NG_ERR_TEMPLATE_TOO_LARGE",
          `${path} is ${size} bytes, more than the ${options.maxBytes}-byte limit.`,
        );
      }
      raw = await handle.readFile({ signal: options.signal });
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw sourceReadError(path, error);
  }
  const bytes = name.encoded ? await options.codec!.decode(raw) : raw;
  if (bytes.byteLength > options.maxBytes) {
    throw new NextGenError(
      "NG_ERR_TEMPLATE_TOO_LARGE",
      `${path} decodes to ${bytes.byteLength} bytes, more than the ${options.maxBytes}-byte limit.`,
    );
  }
  const declared = readDeclaredIdentity(bytes, path);
  if (declared.id !== name.id) {
    throw new NextGenError(
      "NG_ERR_SOURCE_ID_MISMATCH",
      `${path} declares id ${JSON.stringify(declared.id)}, but its path says "${name.id}".`,
    );
  }
  if (declared.version === undefined) {
    throw new NextGenError("NG_ERR_SOURCE_ID_MISMATCH", `${path} declares no version.`);
  }
  if (name.version !== undefined && declared.version !== name.version) {
    throw new NextGenError(
      "NG_ERR_SOURCE_ID_MISMATCH",
      `${path} declares version ${JSON.stringify(declared.version)}, but its file name says "${name.version}".`,
    );
  }
  return { id: name.id, version: declared.version, bytes, location: path };
}
