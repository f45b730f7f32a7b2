/**
 * Keys longer than this get no suggestion: no real key is that long, and comparing a
 * hostile 250 KB key against every known key would cost seconds before any signature check.
 */
export const MAX_SUGGESTED_KEY_LENGTH = 64;

/**
 * The known key closest to `key` by edit distance (optimal string alignment, so a
 * swapped pair of letters counts once) or the only one it abbreviates, or undefined when
 * nothing is close enough to be a plausible typo.
 *
 * The work is bounded whatever the input: keys over {@link MAX_SUGGESTED_KEY_LENGTH} are not
 * compared, candidates whose length differs by more than the allowed distance are skipped, and
 * each comparison stops as soon as it cannot come within that distance.
 *
 * @example
 * ```ts
 * didYouMean("capabilites", ["capabilities", "tools"]); // "capabilities"
 * ```
 */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  if (key.length > MAX_SUGGESTED_KEY_LENGTH) return undefined;
  const lowered = key.toLowerCase();
  const allowed = Math.max(1, Math.min(3, Math.ceil(key.length / 3)));
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const candidate of known) {
    if (Math.abs(candidate.length - lowered.length) >= bestDistance) continue;
    const distance = boundedEditDistance(lowered, candidate.toLowerCase(), bestDistance - 1);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined) return best;
  // An abbreviation ("prod" for "production") is a plausible slip too, if it is unambiguous.
  if (lowered.length < 3) return undefined;
  const extensions = known.filter((candidate) => candidate.toLowerCase().startsWith(lowered));
  return extensions.length === 1 ? extensions[0] : undefined;
}

/** The edit distance of `left` and `right`, or `limit + 1` as soon as it must exceed `limit`. */
function boundedEditDistance(left: string, right: string, limit: number): number {
  const rows = left.length + 1;
  const columns = right.length + 1;
  const table: number[] = new Array(rows * columns).fill(0);
  for (let row = 0; row < rows; row++) table[row * columns] = row;
  for (let column = 0; column < columns; column++) table[column] = column;
  let previousMinimum = 0;
  for (let row = 1; row < rows; row++) {
    let rowMinimum = Number.POSITIVE_INFINITY;
    for (let column = 1; column < columns; column++) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      let value = Math.min(
        table[(row - 1) * columns + column]! + 1,
        table[row * columns + column - 1]! + 1,
        table[(row - 1) * columns + column - 1]! + cost,
      );
      if (row > 1 && column > 1 && left[row - 1] === right[column - 2] && left[row - 2] === right[column - 1]) {
        value = Math.min(value, table[(row - 2) * columns + column - 2]! + 1);
      }
      table[row * columns + column] = value;
      rowMinimum = Math.min(rowMinimum, value);
    }
    // Each cell comes from the row above or, by a transposition, the one above that: once two
    // consecutive rows are past the limit, every later row is too.
    if (rowMinimum > limit && previousMinimum > limit) return limit + 1;
    previousMinimum = rowMinimum;
  }
  return Math.min(table[rows * columns - 1]!, limit + 1);
}
