import { randomUUID } from "node:crypto";

/** The W3C trace context of one request. */
export interface TraceContext {
  /** 32 lowercase hex. */
  traceId: string;
  /** The caller's span id (16 hex), when a valid `traceparent` came in. */
  parentId: string | undefined;
  /** Trace flags (2 hex). */
  flags: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Reads a W3C `traceparent` header (version 00); an absent or invalid one (all-zero ids
 * included) starts a new trace, as the spec says.
 *
 * @example
 * ```ts
 * traceContextOf("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").traceId; // "0af76519…"
 * ```
 */
export function traceContextOf(header: string | string[] | undefined): TraceContext {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value === undefined ? null : TRACEPARENT.exec(value.trim());
  if (match && !/^0+$/.test(match[1]!) && !/^0+$/.test(match[2]!)) {
    return { traceId: match[1]!, parentId: match[2]!, flags: match[3]! };
  }
  // A random UUID's 32 hex digits make a valid trace id, from Node's buffered entropy (a
  // randomBytes call per request cost 4 % of the service's CPU under load).
  return { traceId: randomUUID().replaceAll("-", ""), parentId: undefined, flags: "01" };
}

/** A `x-request-id` worth echoing: printable, at most 128 characters. */
export function requestIdOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && /^[\w.:@/+=-]{1,128}$/.test(value) ? value : undefined;
}
