import type { AttributeValue, Span } from "@opentelemetry/api";

/**
 * Sets `key` on `span` unless `value` is `undefined`, so optional payload fields never
 * become empty attributes. (Cheaper than building and filtering an object: this runs on
 * every traced operation.)
 * @internal
 */
export function setDefined(span: Span, key: string, value: AttributeValue | undefined): void {
  if (value !== undefined) span.setAttribute(key, value);
}
