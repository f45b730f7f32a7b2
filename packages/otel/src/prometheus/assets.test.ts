import { readFileSync } from "node:fs";
import { Registry } from "prom-client";
import { expect, it } from "vitest";
import { registerPrometheusMetrics } from "./register-prometheus-metrics.js";

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

function exposedSeriesNames(): Set<string> {
  const trust = { earliestKeyExpiry: undefined };
  const pools = [{ stats: () => ({ name: "p", threads: 1, busy: 0, queued: 0 }) }];
  const prometheus = registerPrometheusMetrics({ registry: new Registry(), trust, pools });
  prometheus.close();
  const names = new Set<string>();
  for (const name of prometheus.names) {
    for (const suffix of ["", "_bucket", "_count", "_sum"]) names.add(`${name}${suffix}`);
  }
  return names;
}

function referencedMetrics(text: string): string[] {
  return [...new Set(text.match(/\bnextgen_[a-z_]+/g) ?? [])];
}

it("the dashboard queries only metrics the registry exposes, through the datasource variable", () => {
  const dashboard = JSON.parse(dashboardText) as { panels: Panel[]; templating: { list: Array<{ name: string }> } };
  expect(dashboard.templating.list.map((variable) => variable.name)).toContain("datasource");
  for (const panel of dashboard.panels) {
    expect(panel.datasource.uid, panel.title).toBe(DATASOURCE_VARIABLE);
    for (const target of panel.targets) expect(target.datasource.uid, panel.title).toBe(DATASOURCE_VARIABLE);
  }
  const exposed = exposedSeriesNames();
  const unknown = referencedMetrics(dashboardText).filter((name) => !exposed.has(name));
  expect(unknown).toEqual([]);
  const titles = dashboard.panels.map((panel) => panel.title).join("\n");
  for (const required of ["latency", "per minute", "hit ratio", "age", "refusals", "utilisation", "queue"]) {
    expect(titles).toContain(required);
  }
});

it("the alert rules query only metrics the registry exposes", () => {
  const exposed = exposedSeriesNames();
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
  expect(links.length).toBe(8);
  expect(links.filter((anchor) => !anchors.has(anchor ?? ""))).toEqual([]);
});
