import { execFile } from "node:child_process";

function run(command: string, args: readonly string[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 60_000 }, (error) => resolve(error === null));
  });
}

/**
 * Flushes the file system holding `path` to disk: data and directory entries written so far.
 *
 * Why not fsync each file: a restore stages thousands of small files, and one fsync per file
 * costs milliseconds each on a journaling file system (40 s for 10,000 templates), while
 * `syncfs(2)`, which Node does not expose, flushes them all at once. `sync -f` (GNU
 * coreutils) calls it; elsewhere plain `sync` flushes every file system. Where neither
 * exists (Windows), nothing is flushed and the swap is still atomic against a crashed
 * process, only not against a power cut.
 */
export async function flushFileSystem(path: string): Promise<void> {
  if (process.platform === "win32") return;
  if (await run("sync", ["-f", path])) return;
  await run("sync", []);
}
