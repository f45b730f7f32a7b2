import type { AgentCreateContext, AgentRunContext } from "@nextgen/core";
import { AGENT_CREATE_CHANNEL, AGENT_RUN_CHANNEL } from "@nextgen/core";
import { ATTR } from "./attributes.js";
import { setDefined } from "./compact.js";
import { setInvokeGenAiAttributes } from "./genai-spans.js";
import type { SpanSpec } from "./span-channel.js";
import { injectTraceparent } from "./trace-carrier.js";

/**
 * `create_agent {gen_ai.agent.name}`: the span name starts with the template id (the name
 * is only known once the template is resolved) and is renamed at completion.
 * @internal
 */
export const createAgentSpan: SpanSpec<AgentCreateContext> = {
  channel: AGENT_CREATE_CHANNEL,
  name: (context) => `create_agent ${context.templateId}`,
  startAttributes: (context) => ({ [ATTR.operationName]: "create_agent", [ATTR.templateId]: context.templateId }),
  finish: (context, span) => {
    if (context.agentName !== undefined) span.updateName(`create_agent ${context.agentName}`);
    setDefined(span, ATTR.agentId, context.instanceId);
    setDefined(span, ATTR.agentName, context.agentName);
    setDefined(span, ATTR.agentVersion, context.version);
    setDefined(span, ATTR.agentKind, context.kind);
    setDefined(span, ATTR.templateVersion, context.version);
    setDefined(span, ATTR.templateDigest, context.digest);
    setDefined(span, ATTR.templateCached, context.cached);
  },
};

/**
 * `invoke_agent {gen_ai.agent.name}`. Its context goes into `traceCarrier` so a
 * worker-backed agent can hand it to the pool.
 * @internal
 */
export const invokeAgentSpan: SpanSpec<AgentRunContext> = {
  channel: AGENT_RUN_CHANNEL,
  name: (context) => `invoke_agent ${context.agentName}`,
  startAttributes: (context) => ({
    [ATTR.operationName]: "invoke_agent",
    [ATTR.agentId]: context.instanceId,
    [ATTR.agentName]: context.agentName,
    [ATTR.agentVersion]: context.version,
    [ATTR.agentKind]: context.kind,
    [ATTR.templateId]: context.templateId,
    [ATTR.templateDigest]: context.digest,
  }),
  started: (context, span) => {
    context.traceCarrier ??= {};
    injectTraceparent(span.spanContext(), context.traceCarrier);
  },
  finish: (context, span) => {
    span.setAttribute(ATTR.agentAttempts, context.attempts);
    setInvokeGenAiAttributes(context, span);
  },
};

/**
 * `spec` with `gen_ai.provider.name` added to its start attributes (so samplers see it);
 * `spec` itself when no provider was given.
 * @internal
 */
export function withProvider<C extends object>(spec: SpanSpec<C>, provider: string | undefined): SpanSpec<C> {
  if (provider === undefined) return spec;
  return {
    ...spec,
    startAttributes: (context) => ({ ...spec.startAttributes(context), [ATTR.providerName]: provider }),
  };
}
