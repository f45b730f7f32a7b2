import type { DurationPercentiles } from "./types.js";

/** A ring of the most recent duration samples, for percentiles without unbounded memory. */
export class RecentSamples {
  readonly #values: Float64Array;
  #next = 0;
  #count = 0;

  constructor(capacity = 1024) {
    this.#values = new Float64Array(capacity);
  }

  add(value: number): void {
    this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % this.#values.length;
    if (this.#count < this.#values.length) this.#count++;
  }

  /** Nearest-rank percentiles; zeros when empty. */
  percentiles(): DurationPercentiles {
    if (this.#count === 0) return { p50: 0, p95: 0, p99: 0 };
    const sorted = this.#values.slice(0, this.#count).sort();
    const at = (q: number): number => sorted[Math.min(this.#count - 1, Math.ceil(q * this.#count) - 1)] ?? 0;
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
  }
}
