import type { AuditRecordInput, AuditSink } from "@nextgen/core";

/**
 * The service's view of its audit sink: records without blocking the response (the sink
 * batches and syncs; shutdown flushes it), and remembers a failure so that `/healthz/ready`
 * reports the service not ready instead of serving without an audit trail.
 */
export class AuditRecorder {
  #failure: unknown;
  #last: Promise<unknown> = Promise.resolve();

  constructor(
    readonly sink: AuditSink,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** The first write failure, if any. */
  get failure(): unknown {
    return this.#failure;
  }

  /** Records one decision. */
  record(event: AuditRecordInput): void {
    try {
      const appended = this.sink.append(event);
      if (appended instanceof Promise) this.#last = appended.catch((error: unknown) => this.#fail(error));
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Resolves once the records appended so far are written (a sink writes in order). */
  flush(): Promise<void> {
    return this.#last.then(() => undefined);
  }

  #fail(error: unknown): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.onFailure(error);
  }
}
