import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { optionsError } from "../errors/compression-error.js";
import { rawContentDictionary } from "./raw-content-dictionary.js";

const run = promisify(execFile);

/**
 * Options of {@link trainDictionary}.
 *
 * @example
 * ```ts
 * const options: TrainDictionaryOptions = { method: "zstd-cli", maxBytes: 32_768, dictionaryId: 40_000 };
 * const dictionary = await trainDictionary(samples, options);
 * ```
 */
export interface TrainDictionaryOptions {
  /**
   * Largest dictionary size in bytes (`zstd --maxdict`).
   * @default 112_640 (zstd's default, 110 KiB)
   */
  readonly maxBytes?: number;
  /**
   * `"zstd-cli"` trains with `zstd --train` (a zstd-format dictionary with an id and entropy
   * tables); `"raw"` builds a raw-content dictionary in JS (id 0); `"auto"` uses the CLI when
   * it is on the `PATH` and succeeds, the raw dictionary otherwise.
   * @default "auto"
   */
  readonly method?: "auto" | "zstd-cli" | "raw";
  /**
   * Dictionary id to write (`zstd --dictID`), 1 to 2^31 - 1; the CLI picks a random one
   * otherwise. Ignored by the raw method, whose dictionaries have no id.
   */
  readonly dictionaryId?: number;
  /**
   * The `zstd` executable.
   * @default "zstd"
   */
  readonly zstdPath?: string;
}

function validate(samples: readonly Uint8Array[], options: TrainDictionaryOptions): void {
  if (!Array.isArray(samples) || samples.length === 0) throw optionsError("samples", "must be a non-empty array");
  const { maxBytes, method, dictionaryId } = options;
  if (maxBytes !== undefined && (!Number.isInteger(maxBytes) || maxBytes < 256 || maxBytes > 2 ** 26)) {
    throw optionsError("options.maxBytes", "must be an integer from 256 to 2^26 bytes");
  }
  if (method !== undefined && !["auto", "zstd-cli", "raw"].includes(method)) {
    throw optionsError("options.method", `must be "auto", "zstd-cli" or "raw"`);
  }
  if (dictionaryId !== undefined && (!Number.isInteger(dictionaryId) || dictionaryId < 1 || dictionaryId >= 2 ** 31)) {
    throw optionsError("options.dictionaryId", "must be an integer from 1 to 2^31 - 1");
  }
}

async function trainWithCli(samples: readonly Uint8Array[], options: TrainDictionaryOptions): Promise<Uint8Array> {
  const directory = await mkdtemp(join(tmpdir(), "nextgen-dict-"));
  try {
    const files = await Promise.all(
      samples.map(async (sample, index) => {
        const file = join(directory, `sample-${index}`);
        await writeFile(file, sample);
        return file;
      }),
    );
    const output = join(directory, "dictionary.zdict");
    const args = ["--train", "-q", "-f", "-o", output, `--maxdict=${options.maxBytes ?? 112_640}`];
    if (options.dictionaryId !== undefined) args.push(`--dictID=${options.dictionaryId}`);
    await run(options.zstdPath ?? "zstd", [...args, ...files]);
    return new Uint8Array(await readFile(output));
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Trains a zstd dictionary on `samples` (small documents similar to those it will compress).
 * With the `zstd` CLI it returns a zstd-format dictionary identified by its id; without it
 * (or when the CLI refuses, e.g. too few samples) a raw-content dictionary (id 0).
 *
 * @example
 * ```ts
 * const dictionary = await trainDictionary(templates.map((text) => new TextEncoder().encode(text)));
 * const codec = createZstdCodec({ dictionaries: [dictionary] });
 * ```
 */
export async function trainDictionary(
  samples: readonly Uint8Array[],
  options: TrainDictionaryOptions = {},
): Promise<Uint8Array> {
  validate(samples, options);
  const method = options.method ?? "auto";
  if (method === "raw") return rawContentDictionary(samples, options.maxBytes);
  try {
    return await trainWithCli(samples, options);
  } catch (error) {
    if (method === "zstd-cli") throw optionsError("options.method", `"zstd-cli" failed: ${(error as Error).message}`);
    return rawContentDictionary(samples, options.maxBytes);
  }
}
