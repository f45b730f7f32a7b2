// Tests' one way to wait for something real (a file-system event, a child process, a
// socket) to happen: poll a probe until it yields, within a bounded time. Not for waiting
// for time itself to pass: inject a `Clock` or use `vi.useFakeTimers()` for that. It
// polls on real timers, so it cannot run while fake timers are installed.

/** Options of {@link until}. */
export interface UntilOptions {
  /** What is awaited, for the timeout message ("the reload", "3 changes"). */
  what?: string;
  /** Longest wait before rejecting, in milliseconds. @default 5000 */
  timeoutMs?: number;
  /** Pause between probes, in milliseconds. @default 10 */
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns something other than `undefined` or `false` and resolves
 * with that value. A probe that throws counts as "not yet" (a server still starting); the
 * last error is quoted when the wait times out. Rejects with an `Error` naming `what` after
 * `timeoutMs`, so a behaviour that never happens fails the test instead of hanging it.
 *
 * @example
 * ```ts
 * const changes: SourceChange[] = [];
 * const stop = watchDirectory(dir, (change) => changes.push(change));
 * await writeFile(file, bytes);
 * await until(() => changes.length >= 1, { what: "one change" });
 * const body = await until(async () => (await fetch(url)).text(), { what: "the server", intervalMs: 250 });
 * ```
 */
export async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: UntilOptions = {},
): Promise<T> {
  const { what = "the condition", timeoutMs = 5_000, intervalMs = 10 } = options;
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() >= deadline) {
      const cause = lastError === undefined ? "" : `: ${String(lastError)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
