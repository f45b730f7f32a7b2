/** What {@link HotExpiry} sweeps: warm bindings with the time their verdict holds until. @internal */
export interface Expiring {
  readonly validUntilMs: number;
}

// A wall-clock step forward is noticed within this long, however far the next bound is.
const MAX_TIMER_MS = 1_000;

/**
 * Removes warm-create bindings once their verdict expired (signature `exp`, key
 * `notAfter`), so the warm path needs no clock read: with the real clock, a timer armed
 * for the earliest bound (re-checked at least every second, so a wall-clock step is
 * noticed) deletes them, and the next create takes the cold path, which verifies again.
 * The timer does not keep the process alive.
 * @internal
 */
export class HotExpiry<B extends Expiring> {
  readonly #bindings: Map<string, B>;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #next = Number.POSITIVE_INFINITY;

  constructor(bindings: Map<string, B>, now: () => number) {
    this.#bindings = bindings;
    this.#now = now;
  }

  /** Call after `binding` entered the map. */
  track(binding: B): void {
    if (binding.validUntilMs < this.#next) this.#arm(binding.validUntilMs);
  }

  /** Stops the timer (factory close). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#next = Number.POSITIVE_INFINITY;
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#next = at;
    const delay = Math.min(Math.max(0, at - this.#now()), MAX_TIMER_MS);
    this.#timer = setTimeout(() => this.#tick(), delay);
    this.#timer.unref();
  }

  #tick(): void {
    this.#timer = undefined;
    const now = this.#now();
    if (now < this.#next) {
      this.#arm(this.#next);
      return;
    }
    let next = Number.POSITIVE_INFINITY;
    for (const [key, binding] of this.#bindings) {
      if (!(now < binding.validUntilMs)) this.#bindings.delete(key);
      else if (binding.validUntilMs < next) next = binding.validUntilMs;
    }
    this.#next = Number.POSITIVE_INFINITY;
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }
}
