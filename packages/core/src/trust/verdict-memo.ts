import { LRUCache } from "lru-cache";
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
  readonly #cache: LRUCache<string, MemoVerdict[]>;

  constructor(maxEntries: number, maxBytes: number) {
    this.#cache = new LRUCache<string, MemoVerdict[]>({
      max: maxEntries,
      maxSize: maxBytes,
      sizeCalculation: (verdicts, key) => {
        let bytes = key.length * 2;
        for (const verdict of verdicts) bytes += sizeOf(verdict);
        return Math.max(1, bytes);
      },
    });
  }

  /** A verdict for `digest` under `scope` whose counted signatures are all among `entries`, still valid at `nowMs`. */
  find(scope: string, digest: TemplateDigest, entries: readonly unknown[], nowMs: number): MemoVerdict | undefined {
    const verdicts = this.#cache.get(memoKey(scope, digest));
    if (verdicts === undefined) return undefined;
    let present: Set<string> | undefined;
    for (const verdict of verdicts) {
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
    const kept = (this.#cache.peek(key) ?? []).filter((other) => !same(other));
    kept.push(verdict);
    this.#cache.set(key, kept.slice(-VERDICTS_PER_DIGEST));
  }

  /** Bytes held (for tests and health). */
  get bytes(): number {
    return this.#cache.calculatedSize;
  }

  /** Verdict lists held. */
  get size(): number {
    return this.#cache.size;
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
