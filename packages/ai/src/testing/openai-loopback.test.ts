import { request as httpRequest } from "node:http";
import { NextGenError } from "@nextgen/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startOpenAiLoopback } from "./openai-loopback.js";
import type { OpenAiLoopback } from "./openai-loopback-types.js";

let server: OpenAiLoopback;
beforeAll(async () => {
  server = await startOpenAiLoopback({ maxBodyBytes: 1024 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.replies.length = 0;
});

const post = (body: unknown, path = "/chat/completions") =>
  fetch(`${server.baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer k" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** A chunked body (no content-length) of `size` bytes: the limit must hold while reading. */
const postChunked = (size: number) =>
  new Promise<number>((resolve, reject) => {
    const url = new URL(`${server.baseUrl}/chat/completions`);
    const outgoing = httpRequest(url, { method: "POST" }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on("error", reject);
    for (let sent = 0; sent < size; sent += 256) outgoing.write("x".repeat(256));
    outgoing.end();
  });

describe("startOpenAiLoopback (@nextgen/ai/testing)", () => {
  it("answers with the next scripted reply, as JSON or as server-sent events, recording each request", async () => {
    server.replies.push({ calls: [{ name: "scan", arguments: '{"text":"a"}' }] }, { text: "No findings." });
    const json = (await (await post({ model: "gpt-test", messages: [] })).json()) as {
      model: string;
      choices: { finish_reason: string; message: { tool_calls: unknown } }[];
    };
    expect(json.model).toBe("gpt-test");
    expect(json.choices[0]?.finish_reason).toBe("tool_calls");
    expect(json.choices[0]?.message.tool_calls).toEqual([
      { id: "call_1_0", type: "function", function: { name: "scan", arguments: '{"text":"a"}' } },
    ]);
    const events = await (await post({ model: "gpt-test", messages: [], stream: true })).text();
    const content = events
      .split("\n\n")
      .filter((line) => line.startsWith("data: {"))
      .map((line) => JSON.parse(line.slice(6)).choices[0].delta.content ?? "")
      .join("");
    expect(content).toBe("No findings.");
    expect(events.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(server.requests.map((request) => [request.body.stream ?? false, request.authorization])).toEqual([
      [false, "Bearer k"],
      [true, "Bearer k"],
    ]);
  });

  it("refuses what it cannot answer: an empty script, another path, a body that is not a JSON object", async () => {
    expect((await post({ model: "m" })).status).toBe(500);
    expect((await post({ model: "m" }, "/embeddings")).status).toBe(404);
    expect((await post("[1, 2]")).status).toBe(400);
    expect((await post("{not json")).status).toBe(400);
    expect(server.requests).toHaveLength(1);
  });

  it("bounds the body: over maxBodyBytes is 413, declared or chunked, and nothing is recorded", async () => {
    server.replies.push({ text: "unused" });
    expect((await post({ model: "m", padding: "x".repeat(2048) })).status).toBe(413);
    expect(await postChunked(64 * 1024)).toBe(413);
    expect(server.requests).toHaveLength(0);
    expect(server.replies).toHaveLength(1);
  });

  it("refuses a bad maxBodyBytes and closes idempotently", async () => {
    await expect(startOpenAiLoopback({ maxBodyBytes: 0 })).rejects.toSatisfy(
      (error) => NextGenError.is(error) && error.message.includes("options.maxBodyBytes"),
    );
    const other = await startOpenAiLoopback();
    await Promise.all([other.close(), other.close()]);
    await expect(fetch(`${other.baseUrl}/chat/completions`, { method: "POST" })).rejects.toThrow();
  });
});
