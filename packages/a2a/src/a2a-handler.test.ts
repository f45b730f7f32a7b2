import { Message, Role, TaskState } from "@a2a-js/sdk";
import { ClientFactory } from "@a2a-js/sdk/client";
import { NextGenError } from "@nextgen/core";
import { afterEach, describe, expect, it } from "vitest";
import { a2aHandler } from "./a2a-handler.js";
import { agentCard } from "./agent-card.js";
import type { AgentCardJson } from "./agent-card-types.js";
import { signAgentCard, verifyAgentCard } from "./card-signing.js";
import { auditorFactory, auditorTemplate, type CardKey, listen, makeKey, waitHooks } from "./test-fixtures.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function userMessage(text: string): Message {
  return Message.fromJSON({ messageId: crypto.randomUUID(), role: "ROLE_USER", parts: [{ text }] });
}

/** Serves the auditor over A2A on loopback, with a card signed by `key`. */
async function serve(key: CardKey, options: { signedBy?: CardKey; maxBodyBytes?: number } = {}) {
  const factory = await auditorFactory(key, options.signedBy);
  let handler: ReturnType<typeof a2aHandler> | undefined;
  const server = await listen((request, response) => void handler!(request, response));
  const card = await signAgentCard(agentCard(auditorTemplate, { url: `${server.url}/` }), key.signer);
  handler = a2aHandler({ factory, templateId: "security/auditor", card, maxBodyBytes: options.maxBodyBytes });
  cleanups.push(async () => {
    await server.close();
    await factory.close();
  });
  return { url: server.url, card };
}

const textOfMessage = (message: { parts: Array<{ content?: { $case: string; value: unknown } }> }): string =>
  message.parts.map((part) => (part.content?.$case === "text" ? String(part.content.value) : "")).join("");

describe("a2aHandler", () => {
  it("serves the signed card, which the client side can verify before it talks to the agent", async () => {
    const key = makeKey("cards");
    const { url, card } = await serve(key);
    const fetched = (await (await fetch(`${url}/.well-known/agent-card.json`)).json()) as AgentCardJson;
    expect(fetched).toEqual(card);
    await expect(verifyAgentCard(fetched, { version: 1, keys: [key.publicJwk] })).resolves.toEqual({
      keyIds: ["cards"],
    });
  });

  it("answers an @a2a-js/sdk client's SendMessage and SendStreamingMessage with the agent's result", async () => {
    const { url } = await serve(makeKey("cards"));
    const client = await new ClientFactory().createFromUrl(url);
    const reply = await client.sendMessage({
      tenant: "",
      message: userMessage("stressed"),
      configuration: undefined,
      metadata: undefined,
    });
    expect("role" in reply && reply.role).toBe(Role.ROLE_AGENT);
    expect(textOfMessage(reply as Message)).toBe("desserts");

    const events = [];
    for await (const event of client.sendMessageStream({
      tenant: "",
      message: userMessage("drawer"),
      configuration: undefined,
      metadata: undefined,
    })) {
      events.push(event);
    }
    expect(events).toHaveLength(1);
    expect(events[0]!.payload?.$case).toBe("message");
    expect(textOfMessage(events[0]!.payload!.value as Message)).toBe("reward");
  });

  it("serves A2A v0.3 message/send and message/stream on the same endpoint", async () => {
    const { url } = await serve(makeKey("cards"));
    const rpc = (method: string, text: string) =>
      fetch(`${url}/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 7,
          method,
          params: { message: { kind: "message", messageId: "m1", role: "user", parts: [{ kind: "text", text }] } },
        }),
      });
    const sent = await (await rpc("message/send", "live")).json();
    expect(sent).toMatchObject({
      jsonrpc: "2.0",
      id: 7,
      result: { kind: "message", role: "agent", parts: [{ kind: "text", text: "evil" }] },
    });
    const streamed = await rpc("message/stream", "stop");
    expect(streamed.headers.get("content-type")).toMatch(/text\/event-stream/);
    const body = await streamed.text();
    expect(
      JSON.parse(
        body
          .split("\n")
          .find((line) => line.startsWith("data: "))!
          .slice(6),
      ),
    ).toMatchObject({
      id: 7,
      result: { kind: "message", parts: [{ kind: "text", text: "pots" }] },
    });
  });

  it("creates a verified agent for every call: a template signed by an untrusted key fails the task with the code", async () => {
    const key = makeKey("cards");
    const { url } = await serve(key, { signedBy: makeKey("intruder") });
    const client = await new ClientFactory().createFromUrl(url);
    const reply = await client.sendMessage({
      tenant: "",
      message: userMessage("hello"),
      configuration: undefined,
      metadata: undefined,
    });
    expect("status" in reply && reply.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(textOfMessage((reply as { status: { message: Message } }).status.message)).toMatch(
      /^NG_ERR_SIGNATURE_KEY_UNKNOWN: /,
    );
  });

  it("aborts the agent's run when the caller goes away before the answer", async () => {
    const { url } = await serve(makeKey("cards"));
    const started = new Promise<void>((resolve) => {
      waitHooks.started = resolve;
    });
    const aborted = new Promise<unknown>((resolve) => {
      waitHooks.aborted = resolve;
    });
    const caller = new AbortController();
    const request = fetch(`${url}/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "message/send",
        params: {
          message: { kind: "message", messageId: "m1", role: "user", parts: [{ kind: "text", text: "wait" }] },
        },
      }),
      signal: caller.signal,
    }).catch((error: unknown) => error);
    await started;
    caller.abort();
    expect(await request).toMatchObject({ name: "AbortError" });
    const reason = await aborted;
    expect(NextGenError.is(reason) && JSON.stringify(reason.message)).toMatch(/caller went away|aborted/);
  });

  it("does not leak an uncoded error's message", async () => {
    const { url } = await serve(makeKey("cards"));
    const client = await new ClientFactory().createFromUrl(url);
    const reply = await client.sendMessage({
      tenant: "",
      message: userMessage("fail"),
      configuration: undefined,
      metadata: undefined,
    });
    const text = textOfMessage((reply as { status: { message: Message } }).status.message);
    expect(text).toBe("NG_ERR_AGENT_RUN_FAILED: the agent failed to run the task");
  });

  it("refuses oversized bodies, non-JSON, other paths and methods with problem+json and a code", async () => {
    const { url } = await serve(makeKey("cards"), { maxBodyBytes: 256 });
    const big = await fetch(`${url}/`, { method: "POST", body: "x".repeat(10_000) });
    expect(big.status).toBe(413);
    expect(big.headers.get("content-type")).toBe("application/problem+json");
    expect(await big.json()).toMatchObject({ status: 413, code: "NG_ERR_A2A_REQUEST_INVALID" });
    expect((await fetch(`${url}/`, { method: "POST", body: "{not json" })).status).toBe(400);
    expect((await fetch(`${url}/elsewhere`)).status).toBe(404);
    expect((await fetch(`${url}/`)).status).toBe(405);
    expect((await fetch(`${url}/.well-known/agent-card.json`, { method: "DELETE" })).status).toBe(405);
  });

  it("refuses bad options with coded errors", () => {
    const card = agentCard(auditorTemplate, { url: "http://127.0.0.1/" });
    expect(() => a2aHandler({ factory: {} as never, templateId: "a/b", card })).toThrow(
      expect.objectContaining({ code: "NG_ERR_OPTIONS_INVALID" }),
    );
    expect(() => a2aHandler({ factory: { create: async () => ({}) as never }, templateId: "", card })).toThrow(
      expect.objectContaining({ code: "NG_ERR_OPTIONS_INVALID" }),
    );
  });
});
