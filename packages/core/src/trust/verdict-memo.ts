import type { TemplateDigest } from "../template/types.js";

/** @internal A verdict worth remembering: these signatures counted, for these keys, until then. */
export interface MemoVerdict {
  /** The counted entries, as `protected.signature`: the template must still carry every one. */
  readonly signatures: readonly string[];
  /** Key ids that counted. */
  readonly keyIds: readonly string[];
  /** Until when the verdict holds (earliest `exp` / key `notAfter`), ms since the epoch. */
  readonly validUntilMs: number;
}

/** Verdicts kept per digest and scope: more would only come from one template signed again and again. */
const VERDICTS_PER_DIGEST = 4;
/** Bookkeeping bytes per verdict beyond its strings (object, array, numbers). */
const VERDICT_OVERHEAD_BYTES = 96;

/** @internal The `protected.signature` form of a signature entry, or undefined when it is not two strings. */
export function entryText(entry: unknown): string | undefined {
  if (typeof entry !== "object" || entry === null) return undefined;
  const { protected: encoded, signature } = entry as { protected?: unknown; signature?: unknown };
  return typeof encoded === "string" && typeof signature === "string" ? `${encoded}.${signature}` : undefined;
}

/**
 * @internal The trust policy's verdict memo. A verdict is keyed by the template's digest,
 * the delegation scope it was judged under, and the very signature entries that counted
 * (not the whole `signatures[]`): copies of one template padded with junk entries share
 * one verdict instead of pinning one each. Bounded by entries and by bytes (strings
 * counted as UTF-16).
 */
export class VerdictMemo {
  // A Map in recency order (a read moves its entry to the end) with a running byte count:
  // lru-cache would fill 10,000 slots up front (about 1 ms and 0.2 MB), which the first
  // verification of every new policy paid on its create path.
  readonly #entries = new Map<string, { verdicts: MemoVerdict[]; bytes: number }>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  /** A verdict for `digest` under `scope` whose counted signatures are all among `entries`, still valid at `nowMs`. */
  find(scope: string, digest: TemplateDigest, entries: readonly unknown[], nowMs: number): MemoVerdict | undefined {
    const key = memoKey(scope, digest);
    const held = this.#entries.get(key);
    if (held === undefined) return undefined;
    // Used again: now the most recent.
    this.#entries.delete(key);
    this.#entries.set(key, held);
    let present: Set<string> | undefined;
    for (const verdict of held.verdicts) {
      if (!(nowMs < verdict.validUntilMs)) continue;
      present ??= new Set(entries.map(entryText).filter((text): text is string => text !== undefined));
      if (verdict.signatures.every((text) => present!.has(text))) return verdict;
    }
    return undefined;
  }

  /** Remembers `verdict` (replacing one for the same signatures; the oldest goes past a handful). */
  remember(scope: string, digest: TemplateDigest, verdict: MemoVerdict): void {
    const key = memoKey(scope, digest);
    const same = (other: MemoVerdict): boolean =>
      other.signatures.length === verdict.signatures.length &&
      other.signatures.every((text, index) => text === verdict.signatures[index]);
    const previous = this.#entries.get(key);
    const kept = (previous?.verdicts ?? []).filter((other) => !same(other));
    kept.push(verdict);
    const verdicts = kept.slice(-VERDICTS_PER_DIGEST);
    let bytes = key.length * 2;
    for (const held of verdicts) bytes += sizeOf(held);
    if (previous !== undefined) {
      this.#entries.delete(key);
      this.#bytes -= previous.bytes;
    }
    // Larger than the whole bound: not kept (verified again next time), as lru-cache did.
    if (bytes > this.#maxBytes) return;
    this.#entries.set(key, { verdicts, bytes });
    this.#bytes += bytes;
    for (const [oldest, held] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= held.bytes;
    }
  }

  /** Bytes held (for tests and health). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Verdict lists held. */
  get size(): number {
    return this.#entries.size;
  }
}

function memoKey(scope: string, digest: TemplateDigest): string {
  return `${scope}\n${digest}`;
}

function sizeOf(verdict: MemoVerdict): number {
  let bytes = VERDICT_OVERHEAD_BYTES;
  for (const text of verdict.signatures) bytes += text.length * 2;
  for (const kid of verdict.keyIds) bytes += kid.length * 2;
  return bytes;
}
