// The overhead of running a template's tool loop through aiAgentKind instead of writing the
// same loop directly with the AI SDK: same mock model, same tools, same prompt, alternated
// rounds in one process. Also the time to the first streamed token, both ways.
//
//   npm run bench -- ai            (ROUNDS, RUNS and STREAMS override the sizes)
import { aiAgentKind, modelRegistry } from "@nextgen/ai";
import { createAgentFactory, defineTool, memorySource, toolRegistry, trustPolicy } from "@nextgen/core";
import { generateText, isStepCount, jsonSchema, streamText, tool } from "ai";
import { MockLanguageModelV4 } from "ai/test";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const RUNS = Number(process.env.RUNS ?? 2_000);
const STREAMS = Number(process.env.STREAMS ?? 2_000);

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
const direct = (abortSignal) =>
  generateText({
    model: loopModel,
    instructions,
    prompt: "Audit billing.",
    tools: sdkTools,
    stopWhen: isStepCount(10),
    maxRetries: 0,
    ...(abortSignal === undefined ? {} : { abortSignal }),
  });
// aiAgentKind always hands the SDK an AbortSignal (timeout, abort, dispose); so does this peer.
const directWithSignal = () => direct(new AbortController().signal);

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
await check(await viaAgent(), "aiAgentKind");

async function perRunMicros(fn, count) {
  const started = performance.now();
  for (let index = 0; index < count; index++) await fn();
  return ((performance.now() - started) * 1000) / count;
}

async function firstTokenMillis(open, count) {
  const samples = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    const iterator = open()[Symbol.asyncIterator]();
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) throw new Error("stream ended without text");
      if (value.type === "text-delta") break;
    }
    samples.push(performance.now() - started);
    for (;;) if ((await iterator.next()).done) break; // drain: the run completes
  }
  return median(samples);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const loops = { generateText: () => direct(), "generateText+signal": directWithSignal, aiAgentKind: viaAgent };
const streams = {
  streamText: () => streamText({ model: streamModel, instructions, prompt: "Audit billing.", maxRetries: 0 }).stream,
  "aiAgentKind.stream": () => streamAgent.stream("Audit billing."),
};
const loopSamples = { generateText: [], "generateText+signal": [], aiAgentKind: [] };
const streamSamples = { streamText: [], "aiAgentKind.stream": [] };
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(loops);
  const order = names.map((_, index) => names[(index + round) % names.length]);
  for (const name of order) {
    await perRunMicros(loops[name], RUNS / 10); // warm-up
    loopSamples[name].push(await perRunMicros(loops[name], RUNS));
  }
  const streamOrder = round % 2 === 0 ? ["streamText", "aiAgentKind.stream"] : ["aiAgentKind.stream", "streamText"];
  for (const name of streamOrder) {
    await firstTokenMillis(streams[name], STREAMS / 10);
    streamSamples[name].push(await firstTokenMillis(streams[name], STREAMS));
  }
}

const peer = median(loopSamples.generateText);
const ours = median(loopSamples.aiAgentKind);
const peerSignal = median(loopSamples["generateText+signal"]);
console.log(
  `3-step tool loop (2 tool calls + answer), mock model, median of ${ROUNDS} rounds × ${RUNS} runs, Node ${process.version}`,
);
console.log("| loop | per run | ratio to generateText |");
console.log("|---|---|---|");
console.log(`| generateText (AI SDK directly) | ${peer.toFixed(1)} µs | 1.00× |`);
console.log(`| generateText + abortSignal | ${peerSignal.toFixed(1)} µs | ${(peerSignal / peer).toFixed(3)}× |`);
console.log(
  `| aiAgentKind (template → agent.run) | ${ours.toFixed(1)} µs | ${(ours / peer).toFixed(3)}×; ${(ours / peerSignal).toFixed(3)}× the peer with a signal |`,
);
const ttftPeer = median(streamSamples.streamText);
const ttftOurs = median(streamSamples["aiAgentKind.stream"]);
console.log(`\ntime to first streamed token, median of ${ROUNDS} rounds × ${STREAMS} streams`);
console.log("| stream | first token | added |");
console.log("|---|---|---|");
console.log(`| streamText (AI SDK directly) | ${ttftPeer.toFixed(3)} ms | — |`);
console.log(`| aiAgentKind.stream | ${ttftOurs.toFixed(3)} ms | +${(ttftOurs - ttftPeer).toFixed(3)} ms |`);
await factory.close();
