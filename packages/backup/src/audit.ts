import diagnosticsChannel from "node:diagnostics_channel";
import { AUDIT_CHANNEL, type AuditEvent } from "@nextgen/core";

const channel = diagnosticsChannel.channel(AUDIT_CHANNEL);

/**
 * Publishes a backup event on core's `nextgen:audit` channel (so `@nextgen/otel` and any
 * audit sink see who restored, rolled back or pruned what). Costs one property read when
 * nobody listens. (A subscriber that throws is reported by Node on the next tick, as for
 * every diagnostics channel; it never fails the backup operation itself.)
 */
export function publishAudit(build: () => AuditEvent): void {
  if (!channel.hasSubscribers) return;
  try {
    channel.publish(build());
  } catch {
    // Building the event must never break a backup.
  }
}
