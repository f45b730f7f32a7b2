import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { realWorkloadMetrics, sampledSeriesNames } from "../__fixtures__/real-workload.js";
import { POOL_WAIT_BUCKETS_SECONDS } from "../metrics/buckets.js";

const read = (path: string): string => readFileSync(new URL(`../../assets/${path}`, import.meta.url), "utf8");
const dashboardText = read("grafana/nextgen-dashboard.json");
const rulesText = read("prometheus/nextgen-alerts.rules.yml");

// Grafana's variable syntax, not a JS template placeholder.
const DATASOURCE_VARIABLE = "$" + "{datasource}";

interface Panel {
  title: string;
  datasource: { uid: string };
  targets: Array<{ expr: string; datasource: { uid: string } }>;
}

// The series a real workload (cold, warm and failed creates, worker-backed runs, a tier hit
// from a second factory) actually exposes: a name only declared, or only fed by an event
// core never publishes, does not count.
let exposedPromise: Promise<Set<string>> | undefined;
function exposedSeriesNames(): Promise<Set<string>> {
  exposedPromise ??= realWorkloadMetrics().then(sampledSeriesNames);
  return exposedPromise;
}

function referencedMetrics(text: string): string[] {
  // `nextgen_` alone (a `{__name__=~"nextgen_.*"}` matcher) names no metric.
  return [...new Set(text.match(/\bnextgen_[a-z_]+/g) ?? [])].filter((name) => name !== "nextgen_");
}

it("the dashboard queries only metrics a real workload exposes, through the datasource variable", async () => {
  const dashboard = JSON.parse(dashboardText) as { panels: Panel[]; templating: { list: Array<{ name: string }> } };
  expect(dashboard.templating.list.map((variable) => variable.name)).toContain("datasource");
  for (const panel of dashboard.panels) {
    expect(panel.datasource.uid, panel.title).toBe(DATASOURCE_VARIABLE);
    for (const target of panel.targets) expect(target.datasource.uid, panel.title).toBe(DATASOURCE_VARIABLE);
  }
  const exposed = await exposedSeriesNames();
  const unknown = referencedMetrics(dashboardText).filter((name) => !exposed.has(name));
  expect(unknown).toEqual([]);
  const titles = dashboard.panels.map((panel) => panel.title).join("\n");
  for (const required of ["latency", "per minute", "hit ratio", "age", "refusals", "utilisation", "queue"]) {
    expect(titles).toContain(required);
  }
});

it("the alert rules query only metrics a real workload exposes", async () => {
  const exposed = await exposedSeriesNames();
  const referenced = referencedMetrics(rulesText);
  expect(referenced.length).toBeGreaterThan(8);
  expect(referenced.filter((name) => !exposed.has(name))).toEqual([]);
});

it("every alert links to a runbook section that exists in docs/observability.md", () => {
  const docs = readFileSync(new URL("../../../../docs/observability.md", import.meta.url), "utf8");
  const anchors = new Set(
    [...docs.matchAll(/^#{2,4} (.+)$/gm)].map((match) =>
      (match[1] ?? "")
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, "")
        .replace(/ /g, "-"),
    ),
  );
  const links = [...rulesText.matchAll(/observability\.md#([a-z0-9-]+)/g)].map((match) => match[1]);
  expect(links.length).toBe(9);
  expect(links.filter((anchor) => !anchors.has(anchor ?? ""))).toEqual([]);
});

it("promtool tests the dashboard's pool utilisation and queue wait queries, on the buckets we register", () => {
  const testsText = read("prometheus/nextgen-alerts.test.yml");
  const dashboard = JSON.parse(dashboardText) as { panels: Panel[] };
  const query = (title: string): string => {
    const panel = dashboard.panels.find((candidate) => candidate.title === title);
    const expr = panel?.targets[0]?.expr ?? "";
    // The values promtool's cases use for Grafana's variables.
    return expr.replaceAll("$job", ".*").replaceAll("$__rate_interval", "5m");
  };
  expect(testsText).toContain(`- expr: ${query("Pool utilisation")}\n`);
  expect(testsText).toContain(`- expr: ${query("Pool queue wait p95")}\n`);
  const edges = [
    ...testsText.matchAll(/nextgen_pool_task_wait_seconds_bucket\{job="svc",[^}]*pool="agents",le="([^"]+)"\}/g),
  ]
    .map((match) => match[1])
    .filter((edge) => edge !== "+Inf")
    .map(Number);
  expect(edges).toEqual(POOL_WAIT_BUCKETS_SECONDS);
});
