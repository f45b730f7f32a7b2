/**
 * The known key closest to `key` by edit distance (optimal string alignment, so a
 * swapped pair of letters counts once) or the only one it abbreviates, or undefined when
 * nothing is close enough to be a plausible typo.
 */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  const lowered = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(lowered, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.ceil(key.length / 3)));
  if (bestDistance <= allowed) return best;
  // An abbreviation ("prod" for "production") is a plausible slip too, if it is unambiguous.
  if (lowered.length < 3) return undefined;
  const extensions = known.filter((candidate) => candidate.toLowerCase().startsWith(lowered));
  return extensions.length === 1 ? extensions[0] : undefined;
}

function editDistance(left: string, right: string): number {
  const rows = left.length + 1;
  const columns = right.length + 1;
  const table: number[] = new Array(rows * columns).fill(0);
  for (let row = 0; row < rows; row++) table[row * columns] = row;
  for (let column = 0; column < columns; column++) table[column] = column;
  for (let row = 1; row < rows; row++) {
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
    }
  }
  return table[rows * columns - 1]!;
}
