const MASK = 0xffff_ffff_ffff_ffffn;
const PRIME1 = 0x9e37_79b1_85eb_ca87n;
const PRIME2 = 0xc2b2_ae3d_27d4_eb4fn;
const PRIME3 = 0x1656_67b1_9e37_79f9n;
const PRIME4 = 0x85eb_ca77_c2b2_ae63n;
const PRIME5 = 0x27d4_eb2f_1656_67c5n;

function rotl(value: bigint, bits: bigint): bigint {
  return ((value << bits) | (value >> (64n - bits))) & MASK;
}

function round(accumulator: bigint, lane: bigint): bigint {
  return (rotl((accumulator + lane * PRIME2) & MASK, 31n) * PRIME1) & MASK;
}

function mergeRound(accumulator: bigint, value: bigint): bigint {
  return (((accumulator ^ round(0n, value)) * PRIME1 + PRIME4) & MASK) as bigint;
}

/**
 * XXH64 of `input` (seed 0 by default), the hash behind zstd's content checksum (a frame
 * stores its low 32 bits). BigInt arithmetic: used only where a backend does not verify the
 * checksum itself (fzstd), and when writing the checksum of zstd-wasm frames.
 */
export function xxh64(input: Uint8Array, seed = 0n): bigint {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const length = input.byteLength;
  let offset = 0;
  let hash: bigint;
  if (length >= 32) {
    let v1 = (seed + PRIME1 + PRIME2) & MASK;
    let v2 = (seed + PRIME2) & MASK;
    let v3 = seed & MASK;
    let v4 = (seed - PRIME1) & MASK;
    for (const limit = length - 32; offset <= limit; offset += 32) {
      v1 = round(v1, view.getBigUint64(offset, true));
      v2 = round(v2, view.getBigUint64(offset + 8, true));
      v3 = round(v3, view.getBigUint64(offset + 16, true));
      v4 = round(v4, view.getBigUint64(offset + 24, true));
    }
    hash = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    hash = mergeRound(hash, v1);
    hash = mergeRound(hash, v2);
    hash = mergeRound(hash, v3);
    hash = mergeRound(hash, v4);
  } else {
    hash = (seed + PRIME5) & MASK;
  }
  hash = (hash + BigInt(length)) & MASK;
  for (; offset + 8 <= length; offset += 8) {
    hash ^= round(0n, view.getBigUint64(offset, true));
    hash = (rotl(hash, 27n) * PRIME1 + PRIME4) & MASK;
  }
  if (offset + 4 <= length) {
    hash ^= (BigInt(view.getUint32(offset, true)) * PRIME1) & MASK;
    hash = (rotl(hash, 23n) * PRIME2 + PRIME3) & MASK;
    offset += 4;
  }
  for (; offset < length; offset++) {
    hash ^= (BigInt(input[offset]!) * PRIME5) & MASK;
    hash = (rotl(hash, 11n) * PRIME1) & MASK;
  }
  hash ^= hash >> 33n;
  hash = (hash * PRIME2) & MASK;
  hash ^= hash >> 29n;
  hash = (hash * PRIME3) & MASK;
  hash ^= hash >> 32n;
  return hash;
}

/** The 32-bit content checksum zstd stores at the end of a frame: the low half of XXH64. */
export function zstdContentChecksum(content: Uint8Array): number {
  return Number(xxh64(content) & 0xffff_ffffn);
}
