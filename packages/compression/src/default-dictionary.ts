import { readFile } from "node:fs/promises";

/** Location of the shipped dictionary (resolves from both `src/` and the built `dist/`). */
export const DEFAULT_DICTIONARY_URL: URL = new URL("../dictionaries/templates-v1.zdict", import.meta.url);

/**
 * The dictionary shipped with this package, trained with `zstd --train` on the sample agent
 * templates (`examples/templates/`). Also importable as
 * `@nextgen/compression/dictionaries/templates-v1.zdict`.
 *
 * @example
 * ```ts
 * const codec = createZstdCodec({ dictionaries: [await defaultDictionary()] });
 * ```
 */
export async function defaultDictionary(): Promise<Uint8Array> {
  return new Uint8Array(await readFile(DEFAULT_DICTIONARY_URL));
}
