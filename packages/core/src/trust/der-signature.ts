/**
 * @internal Converts an ECDSA signature from DER (`SEQUENCE { INTEGER r, INTEGER s }`,
 * what `openssl dgst -sign` and most KMS clients print) to the JWS form: r‖s, each
 * left-padded to `size` bytes. Returns undefined when `der` is not such a structure.
 */
export function derToRawEcdsa(der: Uint8Array, size = 32): Uint8Array | undefined {
  let offset = 0;
  const readLength = (): number | undefined => {
    const first = der[offset++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    const count = first & 0x7f;
    if (count === 0 || count > 2) return undefined;
    let length = 0;
    for (let index = 0; index < count; index++) {
      const byte = der[offset++];
      if (byte === undefined) return undefined;
      length = (length << 8) | byte;
    }
    return length;
  };
  const readInteger = (): Uint8Array | undefined => {
    if (der[offset++] !== 0x02) return undefined;
    const length = readLength();
    if (length === undefined || length === 0 || offset + length > der.length) return undefined;
    let value = der.subarray(offset, offset + length);
    offset += length;
    while (value.length > 1 && value[0] === 0) value = value.subarray(1);
    return value.length > size ? undefined : value;
  };
  if (der[offset++] !== 0x30) return undefined;
  const sequenceLength = readLength();
  if (sequenceLength === undefined || offset + sequenceLength !== der.length) return undefined;
  const r = readInteger();
  const s = readInteger();
  if (r === undefined || s === undefined || offset !== der.length) return undefined;
  const raw = new Uint8Array(size * 2);
  raw.set(r, size - r.length);
  raw.set(s, size * 2 - s.length);
  return raw;
}
