// A server for bench/service.mjs, in its own process so that autocannon (in the parent)
// does not share its event loop:
//   node support/service-server.mjs service   the agent service (built output), embedded defaults
//   node support/service-server.mjs bare      a bare Fastify route: `new` the same agent class and run it
// Prints `READY <url> <token>` when listening; exits on SIGTERM after draining.
import { openSync, writeSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";

const service = "../../examples/agent-service/dist";
const mode = process.argv[2];
const stateDir = await mkdtemp(join(tmpdir(), "bench-service-"));
// The state directory (audit log, run state, request log: ~15 MB a run) goes with the server.
const exitClean = () => rm(stateDir, { recursive: true, force: true }).finally(() => process.exit(0));

if (mode === "service") {
  const { loadConfig } = await import(`${service}/config/service-config.js`);
  const { createAgentService } = await import(`${service}/service.js`);
  // Logs at info (one JSON line per request, as deployed) into a file, not the terminal, the way
  // a deployment's stdout reaches its file: pino's default destination writes each line with
  // one synchronous write(2). (fs.createWriteStream, used before, sent every line through the
  // libuv thread pool: a thread hand-off and an event-loop wake-up per request that no
  // deployment pays.)
  const logFd = openSync(join(stateDir, "service.log"), "a");
  const logStream = { write: (line) => writeSync(logFd, line) };
  const agentService = await createAgentService(loadConfig({ PORT: "0", STATE_DIR: stateDir, LOG_LEVEL: "info" }), {
    logStream,
  });
  const url = await agentService.listen();
  const token = await agentService.issuer.mint("bench", ["runner"]);
  process.once("SIGTERM", () => agentService.shutdown().then(exitClean));
  process.stdout.write(`READY ${url} ${token}\n`);
} else if (mode === "bare") {
  // The same agent class and tools, built once from the same template; per request only
  // `new Kind(init)` and `run`: no auth, RBAC, audit, trust, cache or factory.
  const { agentKinds } = await import(`${service}/agents/agent-kinds.js`);
  const { loadConfig } = await import(`${service}/config/service-config.js`);
  const { signSampleTemplates } = await import(`${service}/dev/embedded-defaults.js`);
  const { createAgentFactory, directorySource, memoryStateStore, trustPolicy } = await import("@nextgen/core");
  const { kinds, tools } = agentKinds(loadConfig({}));
  const { templatesDir, trust } = await signSampleTemplates(stateDir);
  const factory = createAgentFactory({
    source: directorySource(templatesDir),
    trust: trustPolicy(trust, { stateStore: memoryStateStore() }),
    kinds,
    tools,
  });
  const prototype = await factory.create("security/auditor");
  const { template } = prototype;
  const Kind = kinds[template.role];
  const agentTools = prototype.tools;
  let counter = 0;
  const app = Fastify({ bodyLimit: 64 * 1024 });
  app.post("/v1/agents/:namespace/:name/runs", async (request) => {
    const agent = new Kind({ template, tools: agentTools, kind: template.role, instanceId: `bare-${++counter}` });
    const result = await agent.run(request.body.input);
    return { runId: String(counter), result };
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  process.once("SIGTERM", () => app.close().then(exitClean));
  process.stdout.write(`READY ${url} -\n`);
} else {
  process.stderr.write("usage: service-server.mjs service|bare\n");
  process.exit(2);
}
