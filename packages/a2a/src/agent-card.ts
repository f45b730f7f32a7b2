import { A2A_PROTOCOL_VERSION } from "@a2a-js/sdk";
import { NextGenError } from "@nextgen/core";
import type { AgentCardJson, AgentInterfaceJson, AgentSkillJson } from "./agent-card-types.js";
import type { A2aErrorCode } from "./errors/a2a-error-codes.js";

/** Options of {@link agentCard}. */
export interface AgentCardOptions {
  /** Absolute `http(s)` URL of the A2A endpoint (where {@link a2aHandler} is mounted). */
  url: string;
  /**
   * Also advertise the endpoint for A2A v0.3 clients (JSON-RPC `message/send`,
   * `message/stream`), which {@link a2aHandler} serves on the same URL.
   * @default true
   */
  legacy?: boolean;
  /**
   * Whether the agent streams (`message/stream`, `SendStreamingMessage`).
   * @default true
   */
  streaming?: boolean;
  /** The organisation that runs the agent. */
  provider?: { organization: string; url: string };
  /** Where the agent is documented. */
  documentationUrl?: string;
  /** An icon for the agent. */
  iconUrl?: string;
  /** @default ["text/plain"] */
  defaultInputModes?: string[];
  /** @default ["text/plain"] (plus `application/json` when the template declares an `output` schema) */
  defaultOutputModes?: string[];
}

/** What {@link agentCard} reads of a template (an `AgentTemplate` or a `ResolvedTemplate`). */
export interface AgentCardTemplate {
  readonly id: string;
  readonly version: string;
  readonly name?: string | null | undefined;
  readonly description?: string | null | undefined;
  readonly capabilities?: readonly string[] | null | undefined;
  readonly domain?: string | null | undefined;
  readonly role?: string | null | undefined;
  /** A JSON Schema of the answer, if the template declares one. */
  readonly output?: unknown;
}

function invalid(message: string): NextGenError<A2aErrorCode> {
  return new NextGenError<A2aErrorCode>("NG_ERR_A2A_CARD_INVALID", message);
}

function checkUrl(name: string, value: unknown): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "https:" && parsed.protocol !== "http:"))
    throw invalid(`options.${name} must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  return value as string;
}

/**
 * Builds the A2A agent card (protocol v1.0, as `@a2a-js/sdk` implements it) of a
 * template: its name, description and version, one skill per capability, streaming,
 * and the interfaces where {@link a2aHandler} serves it. The card carries no default-valued
 * member (A2A signs the card in that form); sign it with {@link signAgentCard}.
 *
 * @example
 * ```ts
 * const card = agentCard(template, { url: "https://agents.example.com/a2a/security-auditor" });
 * const signed = await signAgentCard(card, localKeySigner({ key, keyId: "cards-2026" }));
 * ```
 */
export function agentCard(template: AgentCardTemplate, options: AgentCardOptions): AgentCardJson {
  if (typeof template !== "object" || template === null) throw invalid("template must be an object");
  if (typeof template.id !== "string" || typeof template.version !== "string")
    throw invalid("template must have a string id and version");
  if (typeof options !== "object" || options === null) throw invalid("options must be an object with a url");
  const url = checkUrl("url", options.url);
  const name = template.name || template.id;
  const description = template.description || `${name} (${template.id}@${template.version})`;
  const interfaces: AgentInterfaceJson[] = [{ url, protocolBinding: "JSONRPC", protocolVersion: A2A_PROTOCOL_VERSION }];
  if (options.legacy ?? true) interfaces.push({ url, protocolBinding: "JSONRPC", protocolVersion: "0.3" });
  const tags = [template.domain, template.role].filter((tag): tag is string => typeof tag === "string" && tag !== "");
  const capabilities = Array.isArray(template.capabilities) ? template.capabilities : [];
  const skills: AgentSkillJson[] =
    capabilities.length > 0
      ? capabilities.map((capability) => ({
          id: capability,
          name: capability,
          description: `${name}: ${capability}`,
          tags: [capability, ...tags],
        }))
      : [{ id: template.id, name, description, tags: tags.length > 0 ? tags : [template.id] }];
  const card: AgentCardJson = {
    name,
    description,
    version: template.version,
    supportedInterfaces: interfaces,
    defaultInputModes: options.defaultInputModes ?? ["text/plain"],
    defaultOutputModes:
      options.defaultOutputModes ??
      (template.output === undefined ? ["text/plain"] : ["text/plain", "application/json"]),
    skills,
  };
  if (options.streaming ?? true) card.capabilities = { streaming: true };
  if (options.provider !== undefined) {
    checkUrl("provider.url", options.provider.url);
    card.provider = { organization: options.provider.organization, url: options.provider.url };
  }
  if (options.documentationUrl !== undefined)
    card.documentationUrl = checkUrl("documentationUrl", options.documentationUrl);
  if (options.iconUrl !== undefined) card.iconUrl = checkUrl("iconUrl", options.iconUrl);
  return card;
}
