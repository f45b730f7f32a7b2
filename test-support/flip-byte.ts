/**
 * Adds `delta` (mod 256) to the byte at `position` of a template's canonical bytes and parses
 * the result. Returns the parsed object when the mutated bytes are still UTF-8 JSON holding an
 * object — something a verifier could be handed — and `undefined` otherwise (the property
 * test then discards the case with `fc.pre`).
 *
 * @example
 * ```ts
 * const parsed = flipByte(canonicalTemplateBytes(signed), position, delta);
 * fc.pre(parsed !== undefined);
 * await expect(verify({ ...parsed, signatures: signed.signatures })).rejects.toThrow();
 * ```
 */
export function flipByte(canonical: Uint8Array, position: number, delta: number): Record<string, unknown> | undefined {
  const mutated = canonical.slice();
  mutated[position] = ((mutated[position] ?? 0) + delta) % 256;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(mutated));
  } catch {
    return undefined;
  }
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}
