import type { Attributes, AttributeValue } from "@opentelemetry/api";

/**
 * Drops the entries whose value is `undefined`, so optional payload fields never become
 * empty attributes.
 * @internal
 */
export function compact(entries: Record<string, AttributeValue | undefined>): Attributes {
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) attributes[key] = value;
  return attributes;
}
