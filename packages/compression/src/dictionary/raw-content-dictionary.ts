/**
 * A raw-content dictionary: the samples themselves, concatenated, trimmed to `maxBytes`. zstd
 * reaches back into it for matches; content near the end is the cheapest to reference, so
 * the most common content (samples seen in several copies) goes last and duplicates once.
 */
export function rawContentDictionary(samples: readonly Uint8Array[], maxBytes = 112_640): Uint8Array {
  const counts = new Map<string, { sample: Uint8Array; count: number; order: number }>();
  samples.forEach((sample, order) => {
    const key = Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength).toString("latin1");
    const seen = counts.get(key);
    if (seen === undefined) counts.set(key, { sample, count: 1, order });
    else seen.count++;
  });
  const ordered = [...counts.values()].sort((a, b) => a.count - b.count || a.order - b.order);
  const total = ordered.reduce((sum, entry) => sum + entry.sample.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const { sample } of ordered) {
    joined.set(sample, offset);
    offset += sample.byteLength;
  }
  // A raw dictionary must not start with the zstd dictionary magic, or it would be parsed as one.
  const trimmed = joined.subarray(Math.max(0, total - maxBytes));
  return trimmed.byteLength >= 8 ? trimmed.slice() : padded(trimmed);
}

function padded(content: Uint8Array): Uint8Array {
  const result = new Uint8Array(8);
  result.set(content, 8 - content.byteLength);
  return result;
}
