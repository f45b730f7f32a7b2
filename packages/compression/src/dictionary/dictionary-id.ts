/** Magic number of a zstd-format dictionary, read little-endian (`37 a4 30 ec`). */
export const ZSTD_DICTIONARY_MAGIC = 0xec30_a437;

/**
 * The zstd dictionary id of `dictionary`: the 32-bit id in a zstd-format dictionary's header
 * (as written by `zstd --train`), or 0 for a raw-content dictionary, which has no header and
 * therefore no id (frames compressed with it name no dictionary).
 *
 * @example
 * ```ts
 * dictionaryId(await defaultDictionary()); // → the id `zstd --train` chose
 * ```
 */
export function dictionaryId(dictionary: Uint8Array): number {
  if (dictionary.byteLength < 8) return 0;
  const view = new DataView(dictionary.buffer, dictionary.byteOffset, dictionary.byteLength);
  return view.getUint32(0, true) === ZSTD_DICTIONARY_MAGIC ? view.getUint32(4, true) : 0;
}
