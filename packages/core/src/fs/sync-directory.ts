import { open } from "node:fs/promises";

/**
 * Fsyncs `directory`, so that a rename or link into it survives a power cut. Best effort: some
 * platforms (Windows) cannot open a directory, and the rename itself is atomic already, so a
 * failure here is swallowed rather than reported as a failed write.
 *
 * @example
 * ```ts
 * import { syncDirectory } from "@nextgen/core/internal";
 *
 * await rename(staging, target);
 * await syncDirectory(dirname(target));
 * ```
 */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, "r");
    await handle.sync();
  } catch {
    // The rename itself succeeded; durability of the directory entry is best effort.
  } finally {
    await handle?.close().catch(() => {});
  }
}
