import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { evict, lookup, reload, scale } from "../__fixtures__/core-events.js";
import { realFactory } from "../__fixtures__/real-factory.js";
import { registerPrometheusMetrics } from "./register-prometheus-metrics.js";

// The real promtool (Debian's `prometheus` package). CI sets NEXTGEN_REQUIRE_PROMTOOL=1 so
// a missing binary fails there instead of skipping.
const assets = fileURLToPath(new URL("../../assets/prometheus/", import.meta.url));
const hasPromtool = spawnSync("promtool", ["--version"], { stdio: "ignore" }).status === 0;
const required = process.env.NEXTGEN_REQUIRE_PROMTOOL === "1";
if (!hasPromtool && !required) {
  console.warn("promtool not found: skipping promtool checks (apt-get install -y prometheus)");
}

function promtool(args: string[], input?: string): { status: number | null; output: string } {
  const result = spawnSync("promtool", args, { cwd: assets, input, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(!hasPromtool && !required)("promtool", () => {
  it("accepts the alert rules", () => {
    const result = promtool(["check", "rules", "nextgen-alerts.rules.yml"]);
    expect(result.output).toContain("SUCCESS: 9 rules found");
    expect(result.status).toBe(0);
  });

  it("passes the unit tests of every alert (firing and not firing)", () => {
    const result = promtool(["test", "rules", "nextgen-alerts.test.yml"]);
    expect(result.output).toContain("SUCCESS");
    expect(result.status).toBe(0);
  });

  it("has a unit test for every alert rule", () => {
    const rules = execFileSync("grep", ["-ho", "alert: [A-Za-z0-9]*", "nextgen-alerts.rules.yml"], {
      cwd: assets,
      encoding: "utf8",
    });
    const tested = execFileSync("grep", ["-ho", "alertname: [A-Za-z0-9]*", "nextgen-alerts.test.yml"], {
      cwd: assets,
      encoding: "utf8",
    });
    const names = (text: string) =>
      new Set(
        text
          .split("\n")
          .filter(Boolean)
          .map((line) => line.split(": ")[1]),
      );
    expect(names(tested)).toEqual(names(rules));
  });

  it("finds nothing to lint in the metrics text a workload produces", async () => {
    const registry = new Registry();
    const { factory, trust, cleanup } = await realFactory();
    const prometheus = registerPrometheusMetrics({ registry, trust });
    // A real workload: one cold create (read, decode, verify), warm creates, a failure.
    for (let index = 0; index < 10; index++) await factory.create("security/auditor");
    await expect(factory.create("security/missing")).rejects.toThrow();
    await cleanup();
    // Channels whose publishers this workload does not reach.
    lookup({ tier: "redis", level: 2, result: "error", durationMs: 3 });
    evict({ tier: "memory", key: "security/auditor@1.2.0", reason: "expired" });
    scale({ pool: "auditor", from: 1, to: 2, reason: "queue wait" });
    reload({ templateId: "security/auditor", outcome: "applied", version: "1.2.1" });
    const text = await registry.metrics();
    prometheus.close();
    const result = promtool(["check", "metrics"], text);
    expect(result.output).toBe("");
    expect(result.status).toBe(0);
  });

  it("reports a lint problem when there is one (the check is not vacuous)", () => {
    const result = promtool(["check", "metrics"], "# HELP requests Requests.\n# TYPE requests counter\nrequests 1\n");
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("_total");
  });
});
