// When a worker runs out of work it may poll a shared doorbell for a few microseconds
// before it blocks in its event loop. Waking a blocked thread costs a futex wake and a
// reschedule (about 40 µs on a 2-core VM); a worker still polling picks the next task up
// in about 1 µs. The spin is bounded (`windowMs`) and stops after a few misses in a row,
// so a pool that goes quiet spends at most `windowMs × maxMisses` of CPU per worker and
// then nothing at all until tasks again arrive close together. It also polls only after
// a lone task: a worker handed several tasks at once is fed by a busy main thread, which
// needs the core more than the worker needs a quick wake-up (with 2 threads and the main
// thread on 2 cores, polling there cost 40% of no-op throughput), and only while the pool
// is lightly loaded (no more tasks than threads): with 64 CPU tasks in flight polling
// took the main thread's core and cost about 5% of throughput.

/** How long a worker polls for more work after it runs dry, in milliseconds. @internal */
export const SPIN_WINDOW_MS = 0.05;
/** Consecutive empty polls after which the worker stops polling. @internal */
export const SPIN_MAX_MISSES = 3;

/** The spin/no-spin decision of one worker. Pure: the caller measures time. @internal */
export class IdleSpin {
  #misses = 0;

  /**
   * Whether to poll now, having just run dry after running `tasksRun` tasks, while the
   * pool has (`light`) or has not more tasks in flight and queued than threads.
   */
  shouldSpin(tasksRun: number, light: boolean): boolean {
    return light && tasksRun <= 1 && this.#misses < SPIN_MAX_MISSES;
  }

  /** A task arrived while polling. */
  hit(): void {
    this.#misses = 0;
  }

  /** The window ended with no task. */
  miss(): void {
    this.#misses++;
  }

  /**
   * A task arrived through the event loop after `gapMs` of idleness. Tasks arriving
   * within a few windows of each other are worth polling for again.
   */
  woken(gapMs: number): void {
    if (gapMs <= SPIN_WINDOW_MS * 4) this.#misses = 0;
  }
}
