// XXH64 on pairs of unsigned 32-bit halves (hi, lo): BigInt arithmetic is ~10× slower, and
// this runs on every fzstd decode and every zstd-wasm encode. Results of the helpers land in
// the two module registers below to avoid allocating a pair per operation.
let resultHi = 0;
let resultLo = 0;

const P1_HI = 0x9e37_79b1;
const P1_LO = 0x85eb_ca87;
const P2_HI = 0xc2b2_ae3d;
const P2_LO = 0x27d4_eb4f;
const P3_HI = 0x1656_67b1;
const P3_LO = 0x9e37_79f9;
const P4_HI = 0x85eb_ca77;
const P4_LO = 0xc2b2_ae63;
const P5_HI = 0x27d4_eb2f;
const P5_LO = 0x1656_67c5;

/** (aHi:aLo × bHi:bLo) mod 2^64. */
function multiply(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const middle = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  resultLo = (((middle & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  resultHi =
    (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (middle >>> 16) + Math.imul(aLo, bHi) + Math.imul(aHi, bLo)) >>> 0;
}

/** (aHi:aLo + bHi:bLo) mod 2^64. */
function add(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const low = aLo + bLo;
  resultLo = low >>> 0;
  resultHi = (aHi + bHi + (low > 0xffff_ffff ? 1 : 0)) >>> 0;
}

/** Rotates hi:lo left by 0 < bits < 32. */
function rotateLeft(hi: number, lo: number, bits: number): void {
  resultHi = ((hi << bits) | (lo >>> (32 - bits))) >>> 0;
  resultLo = ((lo << bits) | (hi >>> (32 - bits))) >>> 0;
}

/** round(accumulator, lane) = rotl(accumulator + lane × P2, 31) × P1. */
function round(accHi: number, accLo: number, laneHi: number, laneLo: number): void {
  multiply(laneHi, laneLo, P2_HI, P2_LO);
  add(accHi, accLo, resultHi, resultLo);
  rotateLeft(resultHi, resultLo, 31);
  multiply(resultHi, resultLo, P1_HI, P1_LO);
}

/** hash = (hash ^ round(0, value)) × P1 + P4. */
function mergeRound(hashHi: number, hashLo: number, valueHi: number, valueLo: number): void {
  round(0, 0, valueHi, valueLo);
  multiply((hashHi ^ resultHi) >>> 0, (hashLo ^ resultLo) >>> 0, P1_HI, P1_LO);
  add(resultHi, resultLo, P4_HI, P4_LO);
}

/** Computes XXH64 (seed 0) into the result registers. */
function hash64(input: Uint8Array): void {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const length = input.byteLength;
  let offset = 0;
  let hi: number;
  let lo: number;
  if (length >= 32) {
    add(P1_HI, P1_LO, P2_HI, P2_LO);
    let v1Hi = resultHi;
    let v1Lo = resultLo;
    let v2Hi = P2_HI;
    let v2Lo = P2_LO;
    let v3Hi = 0;
    let v3Lo = 0;
    // 0 - P1 mod 2^64 (two's complement; P1's low half is nonzero, so no carry into the high half)
    let v4Hi = ~P1_HI >>> 0;
    let v4Lo = (~P1_LO + 1) >>> 0;
    for (const limit = length - 32; offset <= limit; offset += 32) {
      round(v1Hi, v1Lo, view.getUint32(offset + 4, true), view.getUint32(offset, true));
      v1Hi = resultHi;
      v1Lo = resultLo;
      round(v2Hi, v2Lo, view.getUint32(offset + 12, true), view.getUint32(offset + 8, true));
      v2Hi = resultHi;
      v2Lo = resultLo;
      round(v3Hi, v3Lo, view.getUint32(offset + 20, true), view.getUint32(offset + 16, true));
      v3Hi = resultHi;
      v3Lo = resultLo;
      round(v4Hi, v4Lo, view.getUint32(offset + 28, true), view.getUint32(offset + 24, true));
      v4Hi = resultHi;
      v4Lo = resultLo;
    }
    rotateLeft(v1Hi, v1Lo, 1);
    [hi, lo] = [resultHi, resultLo];
    rotateLeft(v2Hi, v2Lo, 7);
    add(hi, lo, resultHi, resultLo);
    [hi, lo] = [resultHi, resultLo];
    rotateLeft(v3Hi, v3Lo, 12);
    add(hi, lo, resultHi, resultLo);
    [hi, lo] = [resultHi, resultLo];
    rotateLeft(v4Hi, v4Lo, 18);
    add(hi, lo, resultHi, resultLo);
    mergeRound(resultHi, resultLo, v1Hi, v1Lo);
    mergeRound(resultHi, resultLo, v2Hi, v2Lo);
    mergeRound(resultHi, resultLo, v3Hi, v3Lo);
    mergeRound(resultHi, resultLo, v4Hi, v4Lo);
  } else {
    resultHi = P5_HI;
    resultLo = P5_LO;
  }
  // Lengths above 2^32 bytes never reach here (maxOutputBytes ≤ 1 GiB).
  add(resultHi, resultLo, Math.floor(length / 2 ** 32), length >>> 0);
  hi = resultHi;
  lo = resultLo;
  for (; offset + 8 <= length; offset += 8) {
    round(0, 0, view.getUint32(offset + 4, true), view.getUint32(offset, true));
    rotateLeft((hi ^ resultHi) >>> 0, (lo ^ resultLo) >>> 0, 27);
    multiply(resultHi, resultLo, P1_HI, P1_LO);
    add(resultHi, resultLo, P4_HI, P4_LO);
    hi = resultHi;
    lo = resultLo;
  }
  if (offset + 4 <= length) {
    multiply(0, view.getUint32(offset, true), P1_HI, P1_LO);
    rotateLeft((hi ^ resultHi) >>> 0, (lo ^ resultLo) >>> 0, 23);
    multiply(resultHi, resultLo, P2_HI, P2_LO);
    add(resultHi, resultLo, P3_HI, P3_LO);
    hi = resultHi;
    lo = resultLo;
    offset += 4;
  }
  for (; offset < length; offset++) {
    multiply(0, input[offset]!, P5_HI, P5_LO);
    rotateLeft((hi ^ resultHi) >>> 0, (lo ^ resultLo) >>> 0, 11);
    multiply(resultHi, resultLo, P1_HI, P1_LO);
    hi = resultHi;
    lo = resultLo;
  }
  // Avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32.
  lo = (lo ^ (hi >>> 1)) >>> 0;
  multiply(hi, lo, P2_HI, P2_LO);
  hi = resultHi;
  lo = (resultLo ^ ((resultLo >>> 29) | (resultHi << 3))) >>> 0;
  hi = (hi ^ (hi >>> 29)) >>> 0;
  multiply(hi, lo, P3_HI, P3_LO);
  resultLo = (resultLo ^ resultHi) >>> 0;
}

/**
 * XXH64 of `input` with seed 0: the hash behind zstd's content checksum (a frame stores its
 * low 32 bits). Used where a backend does not verify the checksum itself (fzstd) and to
 * write the checksum of zstd-wasm frames.
 *
 * @example
 * ```ts
 * xxh64(new TextEncoder().encode("abc")); // 0x44bc2cf5ad770999n
 * ```
 */
export function xxh64(input: Uint8Array): bigint {
  hash64(input);
  return (BigInt(resultHi) << 32n) | BigInt(resultLo);
}

/** The 32-bit content checksum zstd stores at the end of a frame: the low half of XXH64. */
export function zstdContentChecksum(content: Uint8Array): number {
  hash64(content);
  return resultLo;
}
