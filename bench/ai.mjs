// The overhead of running a template's tool loop through aiAgentKind instead of writing the
// same loop directly with the AI SDK: same mock model, same tools, same prompt, interleaved
// in one process (batches of BATCH runs, the order rotating), wall time and process CPU time
// (the latter is what a shared machine's other load disturbs least). Also the time to the
// first streamed token, both ways, alternating stream by stream. The headline ratio is against
// the plain generateText a user would write; a second row gives it the agent's AI SDK telemetry
// setting (off when nothing listens), which isolates what the agent itself adds.
//
//   npm run bench -- ai            (ROUNDS, RUNS, BATCH and STREAMS override the sizes)
import os from "node:os";
import { aiAgentKind, modelRegistry } from "@nextgen/ai";
import { createAgentFactory, defineTool, memorySource, toolRegistry, trustPolicy } from "@nextgen/core";
import { generateText, isStepCount, jsonSchema, streamText, tool } from "ai";
import { MockLanguageModelV4 } from "ai/test";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const RUNS = Number(process.env.RUNS ?? 2_000);
const STREAMS = Number(process.env.STREAMS ?? 2_000);
const BATCH = Number(process.env.BATCH ?? 50);

const usage = {
  inputTokens: { total: 50, noCache: 50, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 10, text: 10, reasoning: undefined },
};
const stop = { unified: "stop", raw: "stop" };
const toolCalls = { unified: "tool-calls", raw: "tool_calls" };

// Stateless, so every run is the same 3 steps: two tool calls (one per step), then the answer.
const loopModel = new MockLanguageModelV4({
  provider: "mock",
  modelId: "loop",
  doGenerate: async (options) => {
    const results = options.prompt.filter((message) => message.role === "tool").length;
    if (results < 2) {
      const name = results === 0 ? "lookup" : "score";
      return {
        content: [{ type: "tool-call", toolCallId: `c${results}`, toolName: name, input: '{"key":"billing"}' }],
        finishReason: toolCalls,
        usage,
        warnings: [],
      };
    }
    return { content: [{ type: "text", text: "Two findings, both low." }], finishReason: stop, usage, warnings: [] };
  },
});
// One step of streamed text, for the time to the first token.
const streamModel = new MockLanguageModelV4({
  provider: "mock",
  modelId: "stream",
  doStream: async () => ({
    stream: new ReadableStream({
      start(controller) {
        controller.enqueue({ type: "stream-start", warnings: [] });
        controller.enqueue({ type: "text-start", id: "t" });
        for (const word of ["Two ", "findings, ", "both ", "low."])
          controller.enqueue({ type: "text-delta", id: "t", delta: word });
        controller.enqueue({ type: "text-end", id: "t" });
        controller.enqueue({ type: "finish", finishReason: stop, usage });
        controller.close();
      },
    }),
  }),
});

const instructions = "You audit change sets. Use lookup, then score, then answer in one line.";
const inputSchema = { type: "object", properties: { key: { type: "string" } }, required: ["key"] };
const lookup = async (input) => ({ key: input.key, owner: "payments" });
const score = async (input) => ({ key: input.key, score: 42 });

// The peer: the loop written directly with the AI SDK.
const sdkTools = {
  lookup: tool({ description: "Looks a key up.", inputSchema: jsonSchema(inputSchema), execute: lookup }),
  score: tool({ description: "Scores a key.", inputSchema: jsonSchema(inputSchema), execute: score }),
};
const direct = (abortSignal, telemetry) =>
  generateText({
    model: loopModel,
    instructions,
    prompt: "Audit billing.",
    tools: sdkTools,
    stopWhen: isStepCount(10),
    maxRetries: 0,
    ...(abortSignal === undefined ? {} : { abortSignal }),
    ...(telemetry === undefined ? {} : { telemetry }),
  });
// What the agent's run would cost if it handed the SDK its AbortSignal (timeout, abort,
// dispose); it binds the signal to the model instead (see docs/benchmarks.md).
const directWithSignal = () => direct(new AbortController().signal);
// The like-for-like peer: when no AI SDK telemetry integration is registered and nothing
// subscribes to its `ai:telemetry` channel, the agent turns the SDK's telemetry off (nothing
// would receive it). This row isolates what the agent adds on top of the SDK.
const telemetryOff = { isEnabled: false };
const directTelemetryOff = () => direct(undefined, telemetryOff);

// Ours: the same loop from a template, through the factory's agent.
const template = (id, model) => ({
  schemaVersion: 1,
  id,
  version: "1.0.0",
  name: "Bench auditor",
  role: "specialist",
  description: "Audits.",
  instructions,
  tools: ["lookup", "score"],
  config: { model },
});
const factory = createAgentFactory({
  source: memorySource([template("bench/loop", "loop"), template("bench/stream", "stream")]),
  kinds: { specialist: aiAgentKind({ models: modelRegistry({ loop: loopModel, stream: streamModel }) }) },
  tools: toolRegistry({
    lookup: defineTool({ description: "Looks a key up.", inputSchema, execute: lookup }),
    score: defineTool({ description: "Scores a key.", inputSchema, execute: score }),
  }),
  trust: trustPolicy({ version: 1, keys: [], requireSignatures: false }),
});
const loopAgent = await factory.create("bench/loop");
const streamAgent = await factory.create("bench/stream");
const viaAgent = () => loopAgent.run("Audit billing.");

const check = async (result, label) => {
  if (result.steps.length !== 3 || result.text !== "Two findings, both low.")
    throw new Error(`${label}: unexpected result`);
};
await check(await direct(), "generateText");
await check(await directWithSignal(), "generateText + abortSignal");
await check(await directTelemetryOff(), "generateText + telemetry off");
await check(await viaAgent(), "aiAgentKind");

/** Runs `count` calls of every loop, BATCH at a time, rotating the order; µs per run, wall and CPU. */
async function perRunMicros(fns, count, round) {
  const names = Object.keys(fns);
  const wall = Object.fromEntries(names.map((name) => [name, 0]));
  const cpu = Object.fromEntries(names.map((name) => [name, 0]));
  for (let batch = 0; batch < count / BATCH; batch++) {
    for (let index = 0; index < names.length; index++) {
      const name = names[(index + batch + round) % names.length];
      const fn = fns[name];
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      for (let run = 0; run < BATCH; run++) await fn();
      wall[name] += (performance.now() - started) * 1000;
      const used = process.cpuUsage(cpuStart);
      cpu[name] += used.user + used.system;
    }
  }
  const runs = Math.ceil(count / BATCH) * BATCH;
  return Object.fromEntries(names.map((name) => [name, { wall: wall[name] / runs, cpu: cpu[name] / runs }]));
}

async function firstTokenMillis(open) {
  const started = performance.now();
  const iterator = open()[Symbol.asyncIterator]();
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) throw new Error("stream ended without text");
    if (value.type === "text-delta") break;
  }
  const elapsed = performance.now() - started;
  for (;;) if ((await iterator.next()).done) break; // drain: the run completes
  return elapsed;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const loops = {
  generateText: () => direct(),
  "generateText+signal": directWithSignal,
  "generateText+telemetryOff": directTelemetryOff,
  aiAgentKind: viaAgent,
};
const streams = {
  streamText: () => streamText({ model: streamModel, instructions, prompt: "Audit billing.", maxRetries: 0 }).stream,
  // The agent offers the model the two tools its template grants; so does this peer.
  "streamText+tools": () =>
    streamText({ model: streamModel, instructions, prompt: "Audit billing.", tools: sdkTools, maxRetries: 0 }).stream,
  // And with the AI SDK telemetry setting the agent uses when nothing listens (like for like).
  "streamText+tools+telemetryOff": () =>
    streamText({
      model: streamModel,
      instructions,
      prompt: "Audit billing.",
      tools: sdkTools,
      maxRetries: 0,
      telemetry: telemetryOff,
    }).stream,
  "aiAgentKind.stream": () => streamAgent.stream("Audit billing."),
};
const loopSamples = Object.fromEntries(Object.keys(loops).map((name) => [name, []]));
const streamSamples = Object.fromEntries(Object.keys(streams).map((name) => [name, []]));
await perRunMicros(loops, RUNS / 10, 0); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  const measured = await perRunMicros(loops, RUNS, round);
  for (const name of Object.keys(loops)) loopSamples[name].push(measured[name]);
  const samples = Object.fromEntries(Object.keys(streams).map((name) => [name, []]));
  for (let index = 0; index < STREAMS / 10; index++)
    for (const name of Object.keys(streams)) await firstTokenMillis(streams[name]);
  for (let index = 0; index < STREAMS; index++) {
    const names = Object.keys(streams);
    for (let offset = 0; offset < names.length; offset++) {
      const name = names[(index + round + offset) % names.length];
      samples[name].push(await firstTokenMillis(streams[name]));
    }
  }
  for (const name of Object.keys(streams)) streamSamples[name].push(median(samples[name]));
}

// Per run: the median over rounds; ratio: the median of each round's ratio (same batches, same load).
const ratioOf = (name, key, peer) =>
  median(loopSamples[name].map((sample, round) => sample[key] / loopSamples[peer][round][key]));
const row = (name, key) => {
  const value = median(loopSamples[name].map((sample) => sample[key]));
  return `${value.toFixed(1)} µs | ${ratioOf(name, key, "generateText").toFixed(3)}×`;
};
console.log(
  `3-step tool loop (2 tool calls + answer), mock model, median of ${ROUNDS} rounds × ${RUNS} runs (interleaved in batches of ${BATCH}), Node ${process.version}, load ${os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(" ")}`,
);
console.log("| loop | wall per run | ratio | CPU per run | ratio |");
console.log("|---|---|---|---|---|");
console.log(`| generateText (AI SDK directly) | ${row("generateText", "wall")} | ${row("generateText", "cpu")} |`);
console.log(
  `| generateText + abortSignal | ${row("generateText+signal", "wall")} | ${row("generateText+signal", "cpu")} |`,
);
console.log(
  `| generateText + telemetry off | ${row("generateText+telemetryOff", "wall")} | ${row("generateText+telemetryOff", "cpu")} |`,
);
console.log(`| aiAgentKind (template → agent.run) | ${row("aiAgentKind", "wall")} | ${row("aiAgentKind", "cpu")} |`);
const like = (key) => ratioOf("aiAgentKind", key, "generateText+telemetryOff").toFixed(3);
console.log(
  `\naiAgentKind vs generateText + telemetry off (like for like): ${like("wall")}× wall, ${like("cpu")}× CPU`,
);
const ttft = (name) => median(streamSamples[name]);
const added = (name, peer) => {
  const delta = ttft(name) - ttft(peer);
  return `${delta < 0 ? "−" : "+"}${Math.abs(delta).toFixed(3)} ms`;
};
console.log(`\ntime to first streamed token, median of ${ROUNDS} rounds × ${STREAMS} streams (alternating)`);
console.log("| stream | first token | added |");
console.log("|---|---|---|");
console.log(`| streamText (AI SDK directly) | ${ttft("streamText").toFixed(3)} ms | — |`);
console.log(
  `| streamText + the same tools | ${ttft("streamText+tools").toFixed(3)} ms | ${added("streamText+tools", "streamText")} |`,
);
console.log(
  `| streamText + the same tools + telemetry off | ${ttft("streamText+tools+telemetryOff").toFixed(3)} ms | ${added("streamText+tools+telemetryOff", "streamText")} |`,
);
console.log(
  `| aiAgentKind.stream | ${ttft("aiAgentKind.stream").toFixed(3)} ms | ${added("aiAgentKind.stream", "streamText")}; ${added("aiAgentKind.stream", "streamText+tools")} over the peer with tools, ${added("aiAgentKind.stream", "streamText+tools+telemetryOff")} like for like |`,
);
await factory.close();
