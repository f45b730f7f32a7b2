import type { TemplateSignature } from "@nextgen/core";

/** A signature's protected header as `nextgen inspect` shows it: decoded, never verified. @internal */
export interface DecodedSignatureHeader {
  alg?: unknown;
  kid?: unknown;
  typ?: unknown;
  /** `iat` as an ISO 8601 date, when it is a number of seconds. */
  issuedAt?: string;
  /** `exp` as an ISO 8601 date, when present and a number of seconds. */
  expiresAt?: string;
  /** Why the header could not be decoded (not base64url JSON). */
  undecodable?: string;
}

/**
 * Decodes (does not verify) the base64url JSON protected header of a signature. A
 * malformed header is described, not thrown: inspecting must show what is there.
 * @internal
 */
export function decodeSignatureHeader(signature: TemplateSignature): DecodedSignatureHeader {
  const encoded = signature.protected;
  if (typeof encoded !== "string" || !/^[A-Za-z0-9_-]*$/.test(encoded)) {
    return { undecodable: "protected header is not base64url" };
  }
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    return { undecodable: "protected header is not JSON" };
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    return { undecodable: "protected header is not a JSON object" };
  }
  const { alg, kid, typ, iat, exp } = header as Record<string, unknown>;
  return {
    alg,
    kid,
    typ,
    ...(isoDate(iat) === undefined ? {} : { issuedAt: isoDate(iat) }),
    ...(isoDate(exp) === undefined ? {} : { expiresAt: isoDate(exp) }),
  };
}

function isoDate(seconds: unknown): string | undefined {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return undefined;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
