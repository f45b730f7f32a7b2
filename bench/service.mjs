// The agent service under load: POST /v1/agents/security/auditor/runs (bearer JWT, RBAC,
// audit log with fdatasync, verified template from the cache, scripted model calling the
// template's 4 tools) against a bare Fastify route that `new`s the same agent class and
// runs it (no SDK around it), side by side in one run, each server in its own process.
//
//   npm run build -w @nextgen/core -w @nextgen/otel -w @nextgen/cache-redis -w @example/agent-service
//   node bench/service.mjs
//
// 1. Maximum sustained throughput: autocannon, CONNECTIONS connections, DURATION s, no rate
//    limit; runs/s of each and the ratio. Every response must be a 200.
// 2. Latency at a fixed rate: 1,000 runs/min (16.7/s) and 80 % of the service's maximum;
//    p50/p95/p99 from each response's time (ms).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const here = fileURLToPath(new URL(".", import.meta.url));
const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const body = JSON.stringify({ input: "const password = 'hunter2'; // AKIAABCDEFGHIJKLMNOP" });

function startServer(mode) {
  const child = spawn(process.execPath, ["support/service-server.mjs", mode], {
    cwd: here,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk) => {
      text += String(chunk);
      const match = /READY (\S+) (\S+)/.exec(text);
      if (match) resolve({ child, url: match[1], token: match[2] === "-" ? undefined : match[2] });
    });
    child.once("exit", (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

function load(server, options) {
  const headers = { "content-type": "application/json" };
  if (server.token) headers.authorization = `Bearer ${server.token}`;
  const times = [];
  const statuses = new Map();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: `${server.url}/v1/agents/security/auditor/runs`, method: "POST", headers, body, ...options },
      (error, result) => (error ? reject(error) : resolve({ result, times, statuses })),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      times.push(responseTime);
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
function summary({ result, times, statuses }) {
  const sorted = [...times].sort((a, b) => a - b);
  const non200 = [...statuses].filter(([status]) => status !== 200);
  if (non200.length > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `failed responses: ${JSON.stringify(Object.fromEntries(non200))}, errors ${result.errors}, timeouts ${result.timeouts}`,
    );
  }
  return {
    runsPerSecond: result.requests.total / result.duration,
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

const fmt = (ms) => `${ms.toFixed(2)} ms`;
const servers = { service: await startServer("service"), bare: await startServer("bare") };
try {
  // Warm up both (JIT, the template cache, connections).
  for (const server of Object.values(servers)) await load(server, { connections: 8, duration: 2 });

  const max = {};
  for (const [name, server] of Object.entries(servers)) {
    max[name] = summary(await load(server, { connections: CONNECTIONS, duration: DURATION }));
    console.log(
      `max sustained  ${name.padEnd(8)} ${max[name].runsPerSecond.toFixed(0).padStart(7)} runs/s  (${(max[name].runsPerSecond * 60).toFixed(0)} runs/min; p50 ${fmt(max[name].p50)}, p99 ${fmt(max[name].p99)} at ${CONNECTIONS} connections)`,
    );
  }
  console.log(`ratio          service / bare = ${(max.service.runsPerSecond / max.bare.runsPerSecond).toFixed(2)}`);

  const rates = [
    ["1,000 runs/min", 1000 / 60],
    ["80 % of max", 0.8 * max.service.runsPerSecond],
  ];
  for (const [label, rate] of rates) {
    for (const [name, server] of Object.entries(servers)) {
      const connections = Math.max(1, Math.min(CONNECTIONS, Math.ceil(rate / 50)));
      const fixed = summary(
        await load(server, { connections, overallRate: Math.round(rate), duration: Math.max(DURATION, 10) }),
      );
      console.log(
        `${label.padEnd(15)} ${name.padEnd(8)} ${fixed.runsPerSecond.toFixed(0).padStart(6)} runs/s  p50 ${fmt(fixed.p50)}  p95 ${fmt(fixed.p95)}  p99 ${fmt(fixed.p99)}  (${fixed.count} runs, ${connections} connections)`,
      );
    }
  }
} finally {
  for (const server of Object.values(servers)) server.child.kill("SIGTERM");
}
