import { randomUUID } from "node:crypto";
import { until } from "@nextgen/test-support";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./test-support/service-harness.js";

// The real Redis at 127.0.0.1:6379. CI sets NEXTGEN_REQUIRE_REDIS=1: absent, it fails instead of skipping.
const REDIS_URL = "redis://127.0.0.1:6379";
const required = process.env.NEXTGEN_REQUIRE_REDIS === "1";

async function redisAnswers(): Promise<boolean> {
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 1_000, reconnectStrategy: false } });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}
const available = await redisAnswers();
if (!available && !required) console.warn(`no Redis at ${REDIS_URL}: skipping the agent service's Redis test`);

describe.skipIf(!available && !required)("with REDIS_URL", () => {
  const prefix = `nextgen-test:agent-service:${process.pid}:${randomUUID().slice(0, 8)}:`;
  let api: Harness;
  const client = createClient({ url: REDIS_URL });
  beforeAll(async () => {
    await client.connect();
    api = await startHarness({ REDIS_URL, NEXTGEN_REDIS_PREFIX: prefix });
  });
  afterAll(async () => {
    await api?.close();
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(keys);
    client.destroy();
  });

  it("adds the Redis tier: verified templates' bytes land under the deployment's prefix, and it reports ready", async () => {
    const token = await api.token(["admin"]);
    expect(
      (await api.request("POST", "/v1/agents/compliance/auditor/runs", { token, body: { input: "GPL-3.0" } })).status,
    ).toBe(200);
    const keys = await until(
      async () => {
        const found = await client.keys(`${prefix}*`);
        return found.length > 0 ? found : undefined;
      },
      { what: `keys under ${prefix}`, intervalMs: 20 },
    );
    expect(keys.length).toBeGreaterThan(0);
    const ready = await api.request("GET", "/healthz/ready");
    expect(ready.status).toBe(200);
  });
});
