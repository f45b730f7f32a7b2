import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { type AuditRecord, verifyAuditLog } from "@nextgen/core";
import { until } from "@nextgen/test-support";
import { SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./test-support/service-harness.js";

let api: Harness;
let admin: string;
beforeAll(async () => {
  api = await startHarness({ NEXTGEN_SCRIPTED_LATENCY_MS: "0" });
  admin = await api.token(["admin"], "dev-admin");
}, 60_000);
afterAll(async () => {
  await api?.close();
});

/** The `{ text, output, steps, toolCalls, usage, finishReason }` of an `@nextgen/ai` run, as JSON. */
interface RunResult {
  text: string;
  finishReason: string;
  steps: unknown[];
  usage: { totalTokens: number };
  toolCalls: { toolName: string; output?: { tool: string; severity: string }[] }[];
}

const findingsOf = (result: RunResult) => result.toolCalls.flatMap((call) => call.output ?? []);

const run = (path: string, body: unknown, token: string | undefined, headers: Record<string, string> = {}) =>
  api.request("POST", path, { body, headers, ...(token === undefined ? {} : { token }) });

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 and lists every operation of the API", () => {
    expect(api.openapi.document.openapi).toBe("3.1.0");
    expect(api.openapi.operations().sort()).toEqual(
      [
        "DELETE /v1/runs/{runId}",
        "GET /v1/a2a/trust.json",
        "GET /v1/a2a/{namespace}/{name}/.well-known/agent-card.json",
        "POST /v1/a2a/{namespace}/{name}",
        "GET /healthz/live",
        "GET /healthz/ready",
        "GET /metrics",
        "GET /v1/runs/{runId}",
        "GET /v1/templates",
        "GET /v1/templates/{namespace}/{name}",
        "POST /v1/admin/reload",
        "POST /v1/agents/{namespace}/{name}/runs",
      ].sort(),
    );
  });
});

describe("runs", () => {
  it("creates a verified agent and runs it with the printed kind of token", async () => {
    const response = await run("/v1/agents/security/auditor/runs", { input: "const password = 'hunter2'" }, admin);
    expect(response.status).toBe(200);
    const body = response.json() as { runId: string; result: RunResult };
    expect(body.runId).toMatch(/^[0-9a-f-]{36}$/);
    // The template grants diff-stats (from its base), secret-scan and dependency-audit (2.0.0 also license-check).
    expect(body.result.toolCalls.map((call) => call.toolName)).toEqual([
      "diff-stats",
      "secret-scan",
      "dependency-audit",
      "license-check",
    ]);
    expect(findingsOf(body.result)).toContainEqual(
      expect.objectContaining({ tool: "secret-scan", severity: "critical" }),
    );
    expect(body.result).toMatchObject({ text: "2 finding(s) (1 low, 1 critical).", finishReason: "stop" });
    expect(body.result.steps).toHaveLength(2);
    expect(body.result.usage.totalTokens).toBeGreaterThan(0);
    // Its response carried the result; the run can still be looked up for a minute.
    const after = await api.request("GET", `/v1/runs/${body.runId}`, { token: admin });
    expect(after.status).toBe(200);
    expect(after.json()).toMatchObject({ runId: body.runId, status: "succeeded" });
  });

  it("runs an exact version when asked, and refuses a malformed one with 422", async () => {
    const exact = await run("/v1/agents/quality/auditor/runs", { input: "x", version: "1.0.3" }, admin);
    expect(exact.status).toBe(200);
    const bad = await run("/v1/agents/quality/auditor/runs", { input: "x", version: "latest" }, admin);
    expect(bad.status).toBe(422);
    expect(bad.json()).toMatchObject({
      code: "NG_ERR_HTTP_INVALID_REQUEST",
      errors: [expect.objectContaining({ pointer: "/body/version" })],
    });
  });

  it("answers 202 with ?async=true, then the result on GET /v1/runs/{runId}", async () => {
    const accepted = await api.request("POST", "/v1/agents/review/senior-peer/runs?async=true", {
      body: { input: "export function f() {}" },
      token: admin,
    });
    expect(accepted.status).toBe(202);
    const { runId } = accepted.json() as { runId: string };
    const record = await until(
      async () => {
        const seen = (await api.request("GET", `/v1/runs/${runId}`, { token: admin })).json();
        return seen.status === "running" ? undefined : seen;
      },
      { what: `run ${runId} to finish`, intervalMs: 20 },
    );
    expect(record).toMatchObject({ runId, templateId: "review/senior-peer", status: "succeeded", version: "1.0.0" });
    expect(findingsOf(record.result as RunResult)).toContainEqual(expect.objectContaining({ tool: "coverage-gap" }));
    expect(String(record.digest)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("streams the agent's events and the result with Accept: text/event-stream", async () => {
    const response = await run("/v1/agents/performance/auditor/runs", { input: "fs.readFileSync(x)" }, admin, {
      accept: "text/event-stream",
    });
    expect(response.status).toBe(200);
    const events = response.text
      .trim()
      .split("\n\n")
      .map((block) => {
        const [event, data] = block.split("\n");
        return {
          event: event!.slice("event: ".length),
          data: JSON.parse(data!.slice("data: ".length)) as Record<string, unknown>,
        };
      });
    // performance/auditor grants diff-stats, perf-lint and complexity: the scripted model calls each, then answers.
    expect(events.map((event) => event.event)).toEqual([
      "run",
      ...["tool-call", "tool-call", "tool-call", "tool-result", "tool-result", "tool-result"],
      "text-delta",
      "result",
    ]);
    expect(events[1]!.data).toMatchObject({
      type: "tool-call",
      toolName: "diff-stats",
      input: { text: "fs.readFileSync(x)" },
    });
    expect(
      events.find((event) => event.data.toolName === "perf-lint" && event.event === "tool-result")!.data,
    ).toMatchObject({
      output: [expect.objectContaining({ tool: "perf-lint", severity: "low" })],
    });
    expect(events.at(-1)!.data).toMatchObject({ result: { text: "2 finding(s) (2 low).", finishReason: "stop" } });
    expect(events.at(-1)!.data.runId).toBe(events[0]!.data.runId);
  });

  it("404s an unknown template, an unknown run and an unknown route, as problem+json", async () => {
    const template = await run("/v1/agents/no/such/runs", { input: "x" }, admin);
    expect(template.status).toBe(404);
    expect(template.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(template.json()).toMatchObject({
      status: 404,
      code: "NG_ERR_TEMPLATE_NOT_FOUND",
      type: "https://nextgen.dev/errors/NG_ERR_TEMPLATE_NOT_FOUND",
    });
    const missingRun = await api.request("GET", "/v1/runs/00000000-0000-4000-8000-000000000000", { token: admin });
    expect(missingRun.json()).toMatchObject({ status: 404, code: "NG_ERR_RUN_NOT_FOUND" });
    const route = await fetch(`${api.url}/v2/nothing`);
    expect(route.status).toBe(404);
    expect(await route.json()).toMatchObject({ code: "NG_ERR_HTTP_NOT_FOUND" });
  });

  it("limits bodies (413) and inputs (422), and validates bodies (422, 415)", async () => {
    const big = await api.request("POST", "/v1/agents/security/auditor/runs", {
      rawBody: JSON.stringify({ input: "x".repeat(70_000) }),
      headers: { "content-type": "application/json" },
      token: admin,
    });
    expect(big.status).toBe(413);
    expect(big.json()).toMatchObject({ code: "NG_ERR_HTTP_BODY_TOO_LARGE" });
    const long = await run("/v1/agents/security/auditor/runs", { input: "x".repeat(20_000) }, admin);
    expect(long.status).toBe(422);
    expect(long.json()).toMatchObject({ code: "NG_ERR_HTTP_INVALID_REQUEST", errors: [{ pointer: "/input" }] });
    const missing = await run("/v1/agents/security/auditor/runs", { task: "x" }, admin);
    expect(missing.status).toBe(422);
    expect((missing.json().errors as { pointer: string }[]).map((issue) => issue.pointer)).toEqual(
      expect.arrayContaining(["/body/input", "/body/task"]),
    );
    const notJson = await api.request("POST", "/v1/agents/security/auditor/runs", {
      rawBody: "{ nope",
      headers: { "content-type": "application/json" },
      token: admin,
    });
    expect(notJson.status).toBe(422);
    const text = await api.request("POST", "/v1/agents/security/auditor/runs", {
      rawBody: "input",
      headers: { "content-type": "text/plain" },
      token: admin,
    });
    expect(text.status).toBe(415);
    expect(text.json()).toMatchObject({ code: "NG_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE" });
    const badParams = await run("/v1/agents/Security/Auditor/runs", { input: "x" }, admin);
    expect(badParams.status).toBe(422);
  });
});

describe("authentication and RBAC", () => {
  it("401s without a token, with WWW-Authenticate", async () => {
    const response = await run("/v1/agents/security/auditor/runs", { input: "x" }, undefined);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(response.json()).toMatchObject({ code: "NG_ERR_AUTH_MISSING" });
    // Before the body is read: an anonymous oversized or malformed body is a 401 too.
    for (const rawBody of [JSON.stringify({ input: "x".repeat(70_000) }), "{ nope"]) {
      const early = await api.request("POST", "/v1/agents/security/auditor/runs", {
        rawBody,
        headers: { "content-type": "application/json" },
      });
      expect(early.status).toBe(401);
    }
  });

  it("401s tokens it must not trust: alg none, HMAC, another key, expired, no subject", async () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const tokens = [
      new UnsecuredJWT({ roles: ["admin"] }).setSubject("mallory").encode(),
      await new SignJWT({ roles: ["admin"] })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("mallory")
        .sign(new TextEncoder().encode("x".repeat(32))),
      await new SignJWT({ roles: ["admin"] })
        .setProtectedHeader({ alg: "EdDSA", kid: "agent-service-dev-token" })
        .setSubject("mallory")
        .sign(privateKey),
      "not.a.jwt",
    ];
    for (const token of tokens) {
      const response = await run("/v1/agents/security/auditor/runs", { input: "x" }, token);
      expect(response.status, token).toBe(401);
      expect(response.json()).toMatchObject({ code: "NG_ERR_AUTH_INVALID" });
    }
    const basic = await run("/v1/agents/security/auditor/runs", { input: "x" }, undefined, {
      authorization: "Basic YWxpY2U6c2VjcmV0",
    });
    expect(basic.status).toBe(401);
  });

  it("403s a role without the action on that template, and lists only readable templates", async () => {
    const reader = await api.token(["reader"]);
    const forbidden = await run("/v1/agents/security/auditor/runs", { input: "x" }, reader);
    expect(forbidden.status).toBe(403);
    expect(forbidden.json()).toMatchObject({ code: "NG_ERR_AUTH_FORBIDDEN" });
    const nobody = await api.token(["unknown-role"]);
    expect((await api.request("GET", "/v1/templates", { token: nobody })).status).toBe(403);
    expect((await api.request("POST", "/v1/admin/reload", { token: reader })).status).toBe(403);
    const list = await api.request("GET", "/v1/templates", { token: reader });
    expect(list.status).toBe(200);
    const templates = list.json().templates as { id: string; version: string; digest: string; signers: string[] }[];
    const listed = templates.map((template) => `${template.id}@${template.version}`);
    expect(listed).toEqual(
      expect.arrayContaining(["security/auditor@2.0.0", "base/specialist@1.0.0", "docs/technical-writer@0.3.0"]),
    );
    // 1.2.0 is superseded: the policy refuses a version below one it accepted (rollback).
    expect(listed).not.toContain("security/auditor@1.2.0");
    expect(templates.every((template) => template.signers.join() === "agent-service-dev")).toBe(true);
    const one = await api.request("GET", "/v1/templates/security/auditor", { token: reader });
    expect((one.json().versions as { version: string }[]).map((version) => version.version)).toEqual(["2.0.0"]);
    const rollback = await run("/v1/agents/security/auditor/runs", { input: "x", version: "1.2.0" }, admin);
    expect(rollback.status).toBe(409);
    expect(rollback.json()).toMatchObject({ code: "NG_ERR_SIGNATURE_ROLLBACK" });
    expect((await api.request("GET", "/v1/templates/no/such", { token: reader })).status).toBe(404);
  });
});

describe("operations", () => {
  it("reloads for admins, and reports health and metrics", async () => {
    const reload = await api.request("POST", "/v1/admin/reload", { token: admin });
    expect(reload.status).toBe(200);
    expect(reload.json()).toMatchObject({ failed: [] });
    expect((reload.json().loaded as string[]).length).toBe(10);
    expect((await run("/v1/agents/security/auditor/runs", { input: "x" }, admin)).status).toBe(200);
    expect((await api.request("GET", "/healthz/live")).status).toBe(200);
    const ready = await api.request("GET", "/healthz/ready");
    expect(ready.status).toBe(200);
    expect((ready.json().components as { name: string }[]).map((component) => component.name)).toEqual(
      expect.arrayContaining(["source", "cache", "trust", "state", "audit"]),
    );
    const metrics = await api.request("GET", "/metrics");
    expect(metrics.text).toMatch(
      /^nextgen_http_request_duration_seconds_count\{method="POST",route="\/v1\/agents\/:namespace\/:name\/runs",status="200"\} \d+/m,
    );
    // The GenAI metrics of @nextgen/otel, beside them: tokens of the model calls, tool calls by outcome.
    expect(metrics.text).toMatch(
      /^nextgen_genai_tokens_total\{template_id="security\/auditor",model="[^"]+",type="input"\} [1-9]\d*/m,
    );
    expect(metrics.text).toMatch(/^nextgen_genai_tool_calls_total\{tool="secret-scan",outcome="ok"\} [1-9]\d*/m);
    expect(metrics.text).toContain("# TYPE nextgen_tool_calls_refused_total counter");
  });

  it("echoes x-request-id and carries the incoming trace id into problems, logs and audit records", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const response = await run(
      "/v1/agents/security/auditor/runs",
      { input: "x" },
      await api.token(["reader"], "trace-tester"),
      {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        "x-request-id": "client-req-42",
      },
    );
    expect(response.headers.get("x-request-id")).toBe("client-req-42");
    expect(response.json()).toMatchObject({ status: 403, traceId });
    expect(api.logs.filter((line) => line.traceId === traceId).map((line) => line.reqId)).toContain("client-req-42");
    const generated = await api.request("GET", "/healthz/live");
    expect(generated.headers.get("x-request-id")).toMatch(/^req-/);
    await api.service.flushAudit();
    const records = (await readFile(api.service.auditLog, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as AuditRecord);
    expect(records).toContainEqual(
      expect.objectContaining({
        actor: "trace-tester",
        action: "http.authorize",
        decision: "deny",
        traceId,
        resource: "run security/auditor",
      }),
    );
  });
});

describe("the audit trail", () => {
  it("records authorization, verdicts, creates, runs and reloads in an intact chain", async () => {
    await api.service.flushAudit();
    const records = (await readFile(api.service.auditLog, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as AuditRecord);
    const actions = new Set(records.map((record) => `${record.action}:${record.decision}`));
    for (const expected of [
      "http.authenticate:deny",
      "http.authorize:allow",
      "http.authorize:deny",
      "catalog.verify:accepted",
      "trust.verify:accepted",
      "agent.create:succeeded",
      "agent.create:refused",
      "agent.run:succeeded",
      "service.reload:applied",
    ]) {
      expect(actions, expected).toContain(expected);
    }
    expect(await verifyAuditLog([api.service.auditLog])).toMatchObject({ ok: true, records: records.length });
  });
});
