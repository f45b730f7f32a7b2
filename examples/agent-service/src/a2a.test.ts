// The A2A endpoints through real HTTP: signed cards per template, and an @a2a-js/sdk client
// talking to the service's verified agents behind the same bearer auth and RBAC.
import { readFile } from "node:fs/promises";
import { Message, Role } from "@a2a-js/sdk";
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
} from "@a2a-js/sdk/client";
import { type AgentCardJson, verifyAgentCard } from "@nextgen/a2a";
import { type AuditRecord, type TrustPolicyDocument, verifyAuditLog } from "@nextgen/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./test-support/service-harness.js";

let api: Harness;
let runner: string;
let reader: string;
beforeAll(async () => {
  api = await startHarness({ NEXTGEN_SCRIPTED_LATENCY_MS: "0" });
  runner = await api.token(["runner"], "a2a-runner");
  reader = await api.token(["reader"], "a2a-reader");
}, 60_000);
afterAll(async () => {
  await api?.close();
});

const AUDITOR = "/v1/a2a/security/auditor";

/** A fetch with the bearer token that checks every JSON response against the served OpenAPI document. */
function checkedFetch(token: string): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("authorization", `Bearer ${token}`);
    const response = await fetch(input, { ...init, headers });
    const contentType = response.headers.get("content-type");
    if (!contentType?.startsWith("text/event-stream")) {
      const text = await response.clone().text();
      const url = input instanceof Request ? input.url : String(input);
      api.openapi.check(init?.method ?? "GET", url, response.status, contentType, text);
    }
    return response;
  };
}

function clientFactory(token: string): ClientFactory {
  const fetchImpl = checkedFetch(token);
  return new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
    }),
  );
}

const userMessage = (text: string): Message =>
  Message.fromJSON({ messageId: crypto.randomUUID(), role: "ROLE_USER", parts: [{ text }] });

const textOf = (message: Message): string =>
  message.parts.map((part) => (part.content?.$case === "text" ? part.content.value : "")).join("");

describe("A2A agent cards", () => {
  it("serves each template's card signed with the key of /v1/a2a/trust.json, naming its endpoint", async () => {
    const cardResponse = await api.request("GET", `${AUDITOR}/.well-known/agent-card.json`, { token: reader });
    expect(cardResponse.status).toBe(200);
    const card = cardResponse.json() as unknown as AgentCardJson;
    expect(card).toMatchObject({ name: "Security Auditor", version: "2.0.0" });
    expect(card.supportedInterfaces.map((entry) => entry.url)).toContain(`${api.url}${AUDITOR}`);
    const trust = (await api.request("GET", "/v1/a2a/trust.json", { token: reader })).json();
    await expect(verifyAgentCard(card, trust as unknown as TrustPolicyDocument)).resolves.toEqual({
      keyIds: ["agent-service-cards"],
    });
    // A card edited after signing no longer verifies.
    await expect(
      verifyAgentCard({ ...card, description: "edited" }, trust as unknown as TrustPolicyDocument),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^NG_ERR_SIGNATURE_/) });

    const other = (
      await api.request("GET", "/v1/a2a/quality/auditor/.well-known/agent-card.json", { token: reader })
    ).json();
    expect(other).toMatchObject({ name: "Quality Auditor", version: "1.0.3" });
  });

  it("needs a token (401), and 404s a template that is not verified", async () => {
    const anonymous = await api.request("GET", `${AUDITOR}/.well-known/agent-card.json`);
    expect(anonymous.status).toBe(401);
    const missing = await api.request("GET", "/v1/a2a/no/such/.well-known/agent-card.json", { token: reader });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ code: "NG_ERR_TEMPLATE_NOT_FOUND" });
  });
});

describe("A2A JSON-RPC", () => {
  it("answers an @a2a-js/sdk client's SendMessage with the verified agent's result, audited under the caller", async () => {
    const client = await clientFactory(runner).createFromUrl(`${api.url}${AUDITOR}/.well-known/agent-card.json`, "");
    const reply = await client.sendMessage({
      tenant: "",
      message: userMessage("const password = 'hunter2'"),
      configuration: undefined,
      metadata: undefined,
    });
    expect("role" in reply && reply.role).toBe(Role.ROLE_AGENT);
    // The scripted model calls the template's 4 tools, then summarises their findings.
    expect(textOf(reply as Message)).toBe("2 finding(s) (1 low, 1 critical).");

    const events = [];
    for await (const event of client.sendMessageStream({
      tenant: "",
      message: userMessage("nothing to see"),
      configuration: undefined,
      metadata: undefined,
    })) {
      events.push(event);
    }
    expect(events.at(-1)?.payload?.$case).toBe("message");

    await api.service.flushAudit();
    const records = (await readFile(api.service.auditLog, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as AuditRecord);
    const runs = records.filter((record) => record.action === "agent.run" && record.resource?.startsWith("a2a "));
    expect(runs.map((record) => [record.actor, record.resource, record.decision])).toEqual([
      ["a2a-runner", "a2a security/auditor@2.0.0", "succeeded"],
      ["a2a-runner", "a2a security/auditor@2.0.0", "succeeded"],
    ]);
    expect(runs.every((record) => /^[0-9a-f]{32}$/.test(String(record.traceId)))).toBe(true);
    expect(
      records.filter((record) => record.action === "http.authorize" && record.resource === "run security/auditor"),
    ).toEqual(expect.arrayContaining([expect.objectContaining({ actor: "a2a-runner", decision: "allow" })]));
    expect(await verifyAuditLog([api.service.auditLog])).toMatchObject({ ok: true, records: records.length });
  });

  it("refuses a caller without a token (401) or without run on the template (403), before running anything", async () => {
    const body = {
      jsonrpc: "2.0",
      id: 1,
      method: "message/send",
      params: { message: { kind: "message", messageId: "m1", role: "user", parts: [{ kind: "text", text: "x" }] } },
    };
    const anonymous = await api.request("POST", AUDITOR, { body });
    expect(anonymous.status).toBe(401);
    const forbidden = await api.request("POST", AUDITOR, { body, token: reader });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json()).toMatchObject({ code: "NG_ERR_AUTH_FORBIDDEN" });
    // A v0.3 call with the runner's token: the same endpoint serves it.
    const legacy = await api.request("POST", AUDITOR, { body, token: runner });
    expect(legacy.status).toBe(200);
    expect(legacy.json()).toMatchObject({ jsonrpc: "2.0", id: 1, result: { kind: "message", role: "agent" } });
  });

  it("answers a body that is not JSON with 400 and one larger than the limit with 413", async () => {
    const notJson = await api.request("POST", AUDITOR, {
      rawBody: "{",
      headers: { "content-type": "application/json" },
      token: runner,
    });
    expect(notJson.status).toBe(400);
    const huge = await api.request("POST", AUDITOR, {
      rawBody: JSON.stringify({ pad: "x".repeat(70 * 1024) }),
      headers: { "content-type": "application/json" },
      token: runner,
    });
    expect(huge.status).toBe(413);
    expect(huge.json()).toMatchObject({ code: "NG_ERR_A2A_REQUEST_INVALID" });
  });
});
