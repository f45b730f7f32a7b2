import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./test-support/service-harness.js";

let api: Harness;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "agent-service-readiness-"));
  // The audit log's directory does not exist: every append fails.
  api = await startHarness({ AUDIT_LOG: join(dir, "missing", "audit.log") });
});
afterAll(async () => {
  await api?.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe("readiness", () => {
  it("is not ready while the audit log cannot be written, and says why", async () => {
    await api.service.flushAudit();
    const ready = await api.request("GET", "/healthz/ready");
    expect(ready.status).toBe(503);
    expect(ready.json()).toMatchObject({
      status: "not-ready",
      components: expect.arrayContaining([
        expect.objectContaining({
          name: "audit",
          status: "unhealthy",
          reason: expect.stringMatching(/Cannot write the audit log/),
        }),
      ]),
    });
    expect((await api.request("GET", "/healthz/live")).status).toBe(200);
  });
});
