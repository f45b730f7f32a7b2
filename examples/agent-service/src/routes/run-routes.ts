import type { AiAgent, AiInput, AiStreamEvent } from "@nextgen/ai";
import { errorCode, NextGenError } from "@nextgen/core";
import { context as otelContext, propagation } from "@opentelemetry/api";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Principal } from "../auth/bearer-auth.js";
import type { ServiceErrorCode } from "../errors/service-error-codes.js";
import { problem } from "../http/problem.js";
import { traceOf } from "../http/request-trace.js";
import { cancelRunSchema, createRunSchema, getRunSchema } from "../http/schemas.js";
import type { ServiceContext } from "../http/service-context.js";
import type { RunRecord } from "../runs/run-registry.js";

interface RunRequest {
  Params: { namespace: string; name: string };
  Querystring: { async?: boolean };
  Body: { input: unknown; version?: string };
}

/** Receives the events of a streamed run (all but `finish`, whose result ends the stream). */
type StepListener = ((event: AiStreamEvent) => void) | undefined;

/** What the model is asked: the input as is when it is text, else its JSON text. */
const promptOf = (input: unknown): AiInput => (typeof input === "string" ? input : JSON.stringify(input ?? null));

/**
 * Creates the agent through the runtime's factory (verified, cached) and runs it, auditing
 * the outcome. The runtime is held for the run, so a reload never closes it underneath.
 */
async function runAgent(
  context: ServiceContext,
  request: FastifyRequest,
  principal: Principal,
  id: string,
  body: RunRequest["Body"],
  signal: AbortSignal,
  record: RunRecord,
  onStep: StepListener,
): Promise<unknown> {
  const runtime = context.runtime();
  const release = runtime.acquire();
  const traceId = traceOf(request).traceId;
  let digest: string | null = null;
  try {
    const agent = await runtime.factory.create(id, {
      version: body.version,
      audit: { actor: principal.subject, traceId },
    });
    record.version = agent.template.version;
    record.digest = digest = agent.template.digest;
    try {
      const result = await runOrStream(agent as AiAgent, promptOf(body.input), signal, onStep);
      context.audit.record({
        actor: principal.subject,
        action: "agent.run",
        resource: `${record.runId} ${id}@${record.version}`,
        decision: "succeeded",
        digest,
        traceId,
      });
      return result;
    } finally {
      await agent.dispose();
    }
  } catch (error) {
    const code = errorCode(error);
    const decision = signal.aborted ? "cancelled" : "failed";
    context.audit.record({
      actor: principal.subject,
      action: "agent.run",
      resource: `${record.runId} ${id}`,
      decision,
      reason: code,
      digest,
      traceId,
    });
    throw error;
  } finally {
    release();
  }
}

/** `agent.run`, or `agent.stream` forwarding each event to `onStep` when streaming. */
async function runOrStream(
  agent: AiAgent,
  prompt: AiInput,
  signal: AbortSignal,
  onStep: StepListener,
): Promise<unknown> {
  if (onStep === undefined) return agent.run(prompt, { signal });
  const stream = agent.stream(prompt, { signal });
  // The events stop at an error; `result` rejects with it.
  try {
    for await (const event of stream) if (event.type !== "finish") onStep(event);
  } catch {
    // Reported by `stream.result` below.
  }
  return stream.result;
}

function wantsEventStream(request: FastifyRequest): boolean {
  return /\btext\/event-stream\b/.test(request.headers.accept ?? "");
}

function streamRun(
  reply: FastifyReply,
  request: FastifyRequest,
  draining: () => boolean,
  start: (onStep: StepListener) => { record: RunRecord; outcome: Promise<unknown> },
): void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-request-id": request.id,
    ...(draining() ? { connection: "close" } : {}),
  });
  const send = (event: string, data: unknown): void => {
    if (!raw.writableEnded) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const { record, outcome } = start((event) => send(event.type, event));
  send("run", { runId: record.runId });
  outcome
    .then(
      (result) => send("result", { runId: record.runId, result }),
      (error: unknown) => {
        const code = errorCode(error);
        const detail = NextGenError.is(error) ? error.message : "The run failed.";
        send("error", problem(code, detail, traceOf(request).traceId));
      },
    )
    .finally(() => raw.end());
}

/** `POST /v1/agents/{namespace}/{name}/runs`, `GET` and `DELETE /v1/runs/{runId}`. */
export function runRoutes(app: FastifyInstance, context: ServiceContext): void {
  app.post<RunRequest>("/v1/agents/:namespace/:name/runs", { schema: createRunSchema }, async (request, reply) => {
    const id = `${request.params.namespace}/${request.params.name}`;
    const principal = await context.auth.authorize(request, "run", id);
    const inputText = typeof request.body.input === "string" ? request.body.input : JSON.stringify(request.body.input);
    if (inputText === undefined || inputText.length > context.config.maxInputChars) {
      reply.code(422).type("application/problem+json");
      return problem(
        "NG_ERR_HTTP_INVALID_REQUEST",
        `input is longer than ${context.config.maxInputChars} characters.`,
        traceOf(request).traceId,
        {
          errors: [
            { pointer: "/input", message: `must be at most ${context.config.maxInputChars} characters (as JSON text)` },
          ],
        },
      );
    }
    // An incoming traceparent becomes the parent of the SDK's spans when an OpenTelemetry SDK is registered.
    const parent = propagation.extract(otelContext.active(), request.headers);
    // Only background runs stay in the registry once finished: a synchronous or streamed
    // run's result is in its own response.
    const start = (onStep: StepListener, retainFinished: boolean) =>
      otelContext.with(parent, () =>
        context.runs.start(
          id,
          (signal, record) => runAgent(context, request, principal, id, request.body, signal, record, onStep),
          { retainFinished },
        ),
      );
    if (request.query.async === true) {
      // Shared runs: refuse (coded 503) before starting what no replica could report on.
      await context.sharedRuns?.available();
      const { record, outcome } = start(undefined, true);
      outcome.catch(() => undefined);
      if (context.sharedRuns !== undefined) {
        try {
          await context.sharedRuns.track(record, outcome);
        } catch (error) {
          context.runs.cancel(record.runId, "its record could not be stored");
          throw error;
        }
      }
      reply.code(202);
      return { runId: record.runId };
    }
    if (wantsEventStream(request)) {
      streamRun(reply, request, context.draining, (onStep) => start(onStep, false));
      return reply;
    }
    const { record, outcome } = start(undefined, false);
    // A client that goes away cancels its synchronous run.
    reply.raw.once("close", () => {
      if (!reply.raw.writableFinished) context.runs.cancel(record.runId, "the client closed the connection");
    });
    return { runId: record.runId, result: await outcome };
  });

  // This replica's runs first; with REDIS_URL, any replica's async runs.
  const known = async (runId: string): Promise<{ record: RunRecord; local: boolean }> => {
    const local = context.runs.get(runId);
    if (local) return { record: local, local: true };
    const shared = await context.sharedRuns?.get(runId);
    if (shared) return { record: shared, local: false };
    throw new NextGenError<ServiceErrorCode>("NG_ERR_RUN_NOT_FOUND", `No run ${runId}.`);
  };

  app.get<{ Params: { runId: string } }>("/v1/runs/:runId", { schema: getRunSchema }, async (request) => {
    await context.auth.authenticate(request);
    const { record } = await known(request.params.runId);
    await context.auth.authorize(request, "read", record.templateId);
    return record;
  });

  app.delete<{ Params: { runId: string } }>("/v1/runs/:runId", { schema: cancelRunSchema }, async (request, reply) => {
    const principal = await context.auth.authenticate(request);
    const { record, local } = await known(request.params.runId);
    await context.auth.authorize(request, "run", record.templateId);
    const reason = `cancelled by ${principal.subject}`;
    if (local) context.runs.cancel(record.runId, reason);
    else if (record.status === "running") await context.sharedRuns?.cancel(record.runId, reason);
    reply.code(202);
    return record;
  });
}
