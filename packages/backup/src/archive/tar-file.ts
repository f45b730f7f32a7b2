/**
 * One file in a backup tar stream: a relative `/`-separated path and its bytes.
 *
 * @example
 * ```ts
 * const file: TarFile = { path: "agents/a.json", data: Buffer.from("{}\n") };
 * ```
 */
export interface TarFile {
  /** Relative `/`-separated path. */
  readonly path: string;
  /** File contents. */
  readonly data: Uint8Array;
}

/**
 * What the reader knows of an entry before reading its data, for a caller that checks it
 * against a manifest.
 *
 * @example
 * ```ts
 * const check = (entry: TarEntryInfo, index: number): void => {
 *   if (entry.size > 1024) throw new Error(`entry ${index} is too large`);
 * };
 * ```
 */
export interface TarEntryInfo {
  /** Checked relative path (see `assertSafeRelativePath`). */
  readonly path: string;
  /** Size in bytes the header (or its PAX `size` record) declares. */
  readonly size: number;
}
