import type { InvalidationMessage } from "@nextgen/core";

const REASONS = new Set<InvalidationMessage["reason"]>(["updated", "removed", "revoked", "manual"]);
/** Most keys one message may carry (core's tiered cache ignores messages with more). @internal */
export const MAX_KEYS = 1_000;
/** Longest key, in characters. @internal */
export const MAX_KEY_LENGTH = 512;
/** Largest raw message read off the channel, in bytes: checked before JSON.parse. @internal */
export const MAX_RAW_BYTES: number = MAX_KEYS * (MAX_KEY_LENGTH + 4) + 1_024;

/** What travels on the channel: an invalidation and the generation stamp it raised. @internal */
export interface WireMessage {
  readonly message: InvalidationMessage;
  readonly generation: number | undefined;
}

/** Encodes `message` with the generation its publish raised the stamp to. @internal */
export function encodeMessage(message: InvalidationMessage, generation: number): string {
  return JSON.stringify({ ...message, generation });
}

/**
 * Parses a raw channel message; throws on anything that is not a well-formed invalidation
 * (size, shape, key count and length are checked before the keys are used).
 * @internal
 */
export function parseMessage(raw: string): WireMessage {
  if (raw.length > MAX_RAW_BYTES) throw new Error("message too large");
  const value = JSON.parse(raw) as Partial<InvalidationMessage> & { generation?: unknown };
  if (
    typeof value !== "object" ||
    value === null ||
    !Array.isArray(value.keys) ||
    value.keys.length > MAX_KEYS ||
    !value.keys.every((key) => typeof key === "string" && key.length > 0 && key.length <= MAX_KEY_LENGTH) ||
    typeof value.origin !== "string" ||
    !REASONS.has(value.reason as InvalidationMessage["reason"]) ||
    (value.all !== undefined && typeof value.all !== "boolean")
  ) {
    throw new Error("not an invalidation message");
  }
  const message: InvalidationMessage = {
    keys: value.keys,
    reason: value.reason as InvalidationMessage["reason"],
    origin: value.origin,
  };
  if (value.all === true) message.all = true;
  const generation = Number.isSafeInteger(value.generation) ? (value.generation as number) : undefined;
  return { message, generation };
}

/**
 * Invalidations that could not be published (Redis unreachable), replayed in order on
 * reconnect. Bounded: past `max` they collapse into one "drop everything" message, which
 * converges as surely and costs one reload per instance.
 * @internal
 */
export class Outbox {
  readonly #max: number;
  #pending: InvalidationMessage[] = [];

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#pending.length;
  }

  push(message: InvalidationMessage): void {
    if (this.#pending.length < this.#max) {
      this.#pending.push(message);
      return;
    }
    this.#pending = [{ keys: [], reason: "manual", origin: message.origin, all: true }];
  }

  /** Takes every pending message (put back with `unshift` those that fail again). */
  drain(): InvalidationMessage[] {
    const drained = this.#pending;
    this.#pending = [];
    return drained;
  }

  unshift(messages: readonly InvalidationMessage[]): void {
    const merged = [...messages, ...this.#pending];
    this.#pending =
      merged.length <= this.#max
        ? merged
        : [{ keys: [], reason: "manual", origin: merged[0]?.origin ?? "outbox", all: true }];
  }
}
