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

const P1_L0 = P1_LO & 0xffff;
const P1_L1 = P1_LO >>> 16;
const P2_L0 = P2_LO & 0xffff;
const P2_L1 = P2_LO >>> 16;

/**
 * The 32-byte stripe loop, where nearly all the time goes: `round` inlined by hand with
 * locals and the multiplications by the constants P2 and P1 split once (about 5× faster than
 * calling the helpers). `state` holds the four accumulators as hi, lo pairs.
 */
function consumeStripes(view: DataView, length: number, state: Uint32Array): number {
  let offset = 0;
  for (const limit = length - 32; offset <= limit; offset += 32) {
    for (let lane = 0; lane < 4; lane++) {
      const at = offset + lane * 8;
      const laneLo = view.getUint32(at, true);
      const laneHi = view.getUint32(at + 4, true);
      // product = lane × P2
      let a0 = laneLo & 0xffff;
      let a1 = laneLo >>> 16;
      let p00 = a0 * P2_L0;
      let p01 = a0 * P2_L1;
      let p10 = a1 * P2_L0;
      let middle = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
      const productLo = (((middle & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
      const productHi =
        (a1 * P2_L1 +
          (p01 >>> 16) +
          (p10 >>> 16) +
          (middle >>> 16) +
          Math.imul(laneLo, P2_HI) +
          Math.imul(laneHi, P2_LO)) >>>
        0;
      // sum = accumulator + product
      const low = state[lane * 2 + 1]! + productLo;
      const sumLo = low >>> 0;
      const sumHi = (state[lane * 2]! + productHi + (low > 0xffff_ffff ? 1 : 0)) >>> 0;
      // rotated = rotl(sum, 31)
      const rotatedHi = ((sumHi << 31) | (sumLo >>> 1)) >>> 0;
      const rotatedLo = ((sumLo << 31) | (sumHi >>> 1)) >>> 0;
      // accumulator = rotated × P1 (the typed array store reduces mod 2^32)
      a0 = rotatedLo & 0xffff;
      a1 = rotatedLo >>> 16;
      p00 = a0 * P1_L0;
      p01 = a0 * P1_L1;
      p10 = a1 * P1_L0;
      middle = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
      state[lane * 2 + 1] = ((middle & 0xffff) << 16) | (p00 & 0xffff);
      state[lane * 2] =
        a1 * P1_L1 +
        (p01 >>> 16) +
        (p10 >>> 16) +
        (middle >>> 16) +
        Math.imul(rotatedLo, P1_HI) +
        Math.imul(rotatedHi, P1_LO);
    }
  }
  return offset;
}

/** Computes XXH64 (seed 0) into the result registers. */
function hash64(input: Uint8Array): void {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const length = input.byteLength;
  let offset = 0;
  let hi: number;
  let lo: number;
  if (length >= 32) {
    const state = new Uint32Array(8);
    add(P1_HI, P1_LO, P2_HI, P2_LO);
    state.set([resultHi, resultLo, P2_HI, P2_LO, 0, 0]);
    // 0 - P1 mod 2^64 (two's complement; P1's low half is nonzero, so no carry into the high half)
    state[6] = ~P1_HI;
    state[7] = ~P1_LO + 1;
    offset = consumeStripes(view, length, state);
    // hash = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18), then merge each v.
    hi = 0;
    lo = 0;
    for (const [lane, bits] of [
      [0, 1],
      [1, 7],
      [2, 12],
      [3, 18],
    ] as const) {
      rotateLeft(state[lane * 2]!, state[lane * 2 + 1]!, bits);
      add(hi, lo, resultHi, resultLo);
      hi = resultHi;
      lo = resultLo;
    }
    for (let lane = 0; lane < 4; lane++) {
      mergeRound(hi, lo, state[lane * 2]!, state[lane * 2 + 1]!);
      hi = resultHi;
      lo = resultLo;
    }
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
