import { type FSWatcher, readdirSync, statSync, watch } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { parseTemplateFileName } from "./template-file-name.js";
import type { SourceChange } from "./template-source.js";

/**
 * Options of a directory source's `watch`.
 *
 * @example
 * ```ts
 * directorySource("./templates", { watch: { mode: "poll", pollIntervalMs: 1_000, debounceMs: 100 } });
 * ```
 */
export interface DirectoryWatchOptions {
  /** Quiet time after the last event of a template before it is reported, in milliseconds (editors write in bursts). @default 50 */
  debounceMs?: number;
  /**
   * `"auto"` uses recursive `fs.watch` (Linux needs Node ≥ 20.13) and falls back to
   * polling when the platform or file system refuses it; `"poll"` always polls
   * (network and container file systems often deliver no events). @default "auto"
   */
  mode?: "auto" | "poll";
  /** Interval of the polling fallback, in milliseconds. @default 500 */
  pollIntervalMs?: number;
}

type Snapshot = Map<string, string>;

/**
 * Watches `root` recursively and calls `listener` once per changed template id after
 * `debounceMs` of quiet. Files that are not template files are ignored. Never throws
 * into the caller: a failing watcher falls back to polling. Returns the function that
 * stops watching.
 * @internal
 */
export function watchDirectory(
  root: string,
  listener: (change: SourceChange) => void,
  options: DirectoryWatchOptions = {},
): () => void {
  const debounceMs = options.debounceMs ?? 50;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;
  let watcher: FSWatcher | undefined;
  let poller: NodeJS.Timeout | undefined;
  let snapshot: Snapshot | undefined;

  const report = (relativePath: string): void => {
    const name = parseTemplateFileName(relativePath.split(sep).join("/"));
    if (name === undefined || stopped) return;
    clearTimeout(timers.get(name.id));
    const timer = setTimeout(async () => {
      timers.delete(name.id);
      const location = join(root, relativePath);
      const exists = await stat(location).then(
        () => true,
        () => false,
      );
      if (stopped) return;
      try {
        listener({ id: name.id, type: exists ? "updated" : "removed", location });
      } catch {
        // A listener's failure must not stop the watch.
      }
    }, debounceMs);
    timer.unref();
    timers.set(name.id, timer);
  };

  const scan = async (): Promise<Snapshot> => {
    const files = await readdir(root, { recursive: true }).catch(() => [] as string[]);
    const result: Snapshot = new Map();
    await Promise.all(
      files.map(async (file) => {
        if (parseTemplateFileName(file.split(sep).join("/")) === undefined) return;
        const info = await stat(join(root, file)).catch(() => undefined);
        if (info?.isFile()) result.set(file, `${info.mtimeMs}:${info.size}:${info.ino}`);
      }),
    );
    return result;
  };
  // The first snapshot is taken synchronously, so that a change made right after
  // `watch` returns is reported: with an asynchronous first scan, a write landing before
  // the scan read that file would become the baseline and never be reported.
  const scanSync = (): Snapshot => {
    const result: Snapshot = new Map();
    let files: string[];
    try {
      files = readdirSync(root, { recursive: true }) as string[];
    } catch {
      return result;
    }
    for (const file of files) {
      if (parseTemplateFileName(file.split(sep).join("/")) === undefined) continue;
      const info = statSync(join(root, file), { throwIfNoEntry: false });
      if (info?.isFile()) result.set(file, `${info.mtimeMs}:${info.size}:${info.ino}`);
    }
    return result;
  };
  const poll = async (): Promise<void> => {
    if (stopped) return;
    const next = await scan();
    if (snapshot !== undefined) {
      for (const [file, signature] of next) if (snapshot.get(file) !== signature) report(file);
      for (const file of snapshot.keys()) if (!next.has(file)) report(file);
    }
    snapshot = next;
    if (!stopped) poller = setTimeout(() => void poll(), pollIntervalMs).unref();
  };
  const startPolling = (): void => {
    watcher?.close();
    watcher = undefined;
    if (poller !== undefined || stopped) return;
    snapshot ??= scanSync();
    poller = setTimeout(() => void poll(), pollIntervalMs).unref();
  };

  if (options.mode === "poll") {
    startPolling();
  } else {
    try {
      watcher = watch(root, { recursive: true, persistent: false }, (_event, file) => {
        if (file !== null) report(String(file));
      });
      watcher.on("error", startPolling);
    } catch {
      startPolling();
    }
  }

  return () => {
    stopped = true;
    watcher?.close();
    clearTimeout(poller);
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  };
}
