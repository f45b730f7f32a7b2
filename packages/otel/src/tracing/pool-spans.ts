import type { PoolTaskContext } from "@nextgen/core";
import { POOL_TASK_CHANNEL } from "@nextgen/core";
import { ROOT_CONTEXT, SpanKind, type Tracer } from "@opentelemetry/api";
import { ATTR } from "./attributes.js";
import { setDefined } from "./compact.js";
import type { SpanSpec } from "./span-channel.js";
import { epochMsToHrTime } from "./time.js";
import { extractTraceparent, injectTraceparent } from "./trace-carrier.js";

/**
 * `pool.task` on the calling thread (queue wait plus run) and, once the task completed,
 * `pool.task execute` for the time it ran in the worker. The worker span's parent comes
 * from the W3C `traceparent` that crossed the thread in `traceCarrier`, so any exporter
 * sees the same tree a worker-side instrumentation would build from that carrier.
 * @internal
 */
export function poolTaskSpan(tracer: Tracer): SpanSpec<PoolTaskContext> {
  return {
    channel: POOL_TASK_CHANNEL,
    name: () => "pool.task",
    startAttributes: (context) => ({ [ATTR.poolName]: context.pool, [ATTR.poolTaskId]: context.taskId }),
    started: (context, span) => {
      context.traceCarrier ??= {};
      injectTraceparent(span.spanContext(), context.traceCarrier);
    },
    finish: (context, span) => {
      setDefined(span, ATTR.poolWaitMs, context.waitMs);
      setDefined(span, ATTR.poolRunMs, context.runMs);
      setDefined(span, ATTR.threadId, context.threadId);
      if (context.workerStartTime === undefined || context.workerEndTime === undefined) return;
      const worker = tracer.startSpan(
        "pool.task execute",
        {
          kind: SpanKind.INTERNAL,
          startTime: epochMsToHrTime(context.workerStartTime),
          attributes: { [ATTR.poolName]: context.pool, [ATTR.poolTaskId]: context.taskId },
        },
        extractTraceparent(ROOT_CONTEXT, context.traceCarrier),
      );
      setDefined(worker, ATTR.threadId, context.threadId);
      worker.end(epochMsToHrTime(context.workerEndTime));
    },
  };
}
