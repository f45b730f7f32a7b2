import type { SignatureAlgorithm } from "./signer.js";

/** The `typ` of every template signature's protected header. */
export const TEMPLATE_JWS_TYPE = "nextgen-template+jws" as const;

/** The protected header of one template signature. */
export interface TemplateSignatureHeader {
  /** JWS algorithm. */
  alg: SignatureAlgorithm;
  /** Key id, looked up in the trust policy. */
  kid: string;
  /** Always `nextgen-template+jws`. */
  typ: typeof TEMPLATE_JWS_TYPE;
  /** Issued at, in seconds since the epoch. */
  iat: number;
  /** Expiry, in seconds since the epoch. */
  exp?: number;
}

const encoder = new TextEncoder();

/** @internal Base64url without padding (RFC 7515 §2). */
export function base64url(bytes: Uint8Array | string): string {
  const buffer =
    typeof bytes === "string"
      ? Buffer.from(bytes, "utf8")
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString("base64url");
}

/** @internal Strict base64url decoding: refuses padding and characters outside the alphabet. */
export function fromBase64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, "base64url"));
}

/** @internal The protected header, serialised in a fixed member order. */
export function encodeProtectedHeader(header: Omit<TemplateSignatureHeader, "typ"> & { typ: string }): string {
  const ordered: Omit<TemplateSignatureHeader, "typ"> & { typ: string } = {
    alg: header.alg,
    kid: header.kid,
    typ: header.typ,
    iat: header.iat,
  };
  if (header.exp !== undefined) ordered.exp = header.exp;
  return base64url(JSON.stringify(ordered));
}

/**
 * @internal The JWS signing input: `base64url(protected) + "." + base64url(payload)`, as
 * ASCII bytes. The payload (the canonical bytes) is detached: not stored in the template.
 */
export function signingInput(encodedProtected: string, encodedPayload: string): Uint8Array {
  return encoder.encode(`${encodedProtected}.${encodedPayload}`);
}
