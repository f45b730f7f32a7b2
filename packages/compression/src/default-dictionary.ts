import { readFile } from "node:fs/promises";

/**
 * Location of the shipped dictionary file (resolves from both `src/` and the built `dist/`),
 * for tools that want a path rather than bytes, such as the `zstd` command.
 *
 * @example
 * ```ts
 * import { fileURLToPath } from "node:url";
 * execFileSync("zstd", ["-D", fileURLToPath(DEFAULT_DICTIONARY_URL), "-d", "agent.json.zst"]);
 * ```
 */
export const DEFAULT_DICTIONARY_URL: URL = new URL("../dictionaries/templates-v1.zdict", import.meta.url);

/**
 * The dictionary shipped with this package, trained with `zstd --train` on the sample agent
 * templates (`examples/templates/`); its id is `0x4E470001`. The file itself is at
 * {@link DEFAULT_DICTIONARY_URL}.
 *
 * @example
 * ```ts
 * const codec = createZstdCodec({ dictionaries: [await defaultDictionary()] });
 * ```
 */
export async function defaultDictionary(): Promise<Uint8Array> {
  return new Uint8Array(await readFile(DEFAULT_DICTIONARY_URL));
}
