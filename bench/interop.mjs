// Interop: A2A card signing and verification through @nextgen/a2a (core's policy path)
// against @a2a-js/sdk's own, and an MCP tool call through the @nextgen/mcp registry (digest
// re-check, argument validation, bounded result) against the MCP SDK's Client.callTool —
// side by side in one run, interleaved.
//
//   npm run build && node bench/interop.mjs
//
// The MCP server runs in-process over the SDK's InMemoryTransport, so the figures are the
// client-side cost, not a network's.
import { generateKeyPairSync } from "node:crypto";
import { AgentCard, generateAgentCardSignature, verifyAgentCardSignature } from "@a2a-js/sdk";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { agentCard, signAgentCard, verifyAgentCard } from "@nextgen/a2a";
import { localKeySigner, trustPolicy } from "@nextgen/core";
import { mcpTools } from "@nextgen/mcp";
import { do_not_optimize } from "mitata";
import { z } from "zod";
import { compareInterleaved } from "./support/interleaved.mjs";

const QUICK = process.env.QUICK === "1";

const compare = async (title, peer, ours, options = {}) =>
  rows.push(await compareInterleaved(title, peer, ours, { ...(QUICK ? { rounds: 5 } : {}), ...options }));
const rows = [];

// A2A cards (ES256, the algorithm of the A2A specification's example).
const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const signer = localKeySigner({ key: privateKey, keyId: "cards", algorithm: "ES256" });
const trust = trustPolicy({
  version: 1,
  keys: [{ ...publicKey.export({ format: "jwk" }), kid: "cards", alg: "ES256" }],
});
const card = agentCard(
  {
    id: "security/auditor",
    version: "1.2.0",
    name: "Security Auditor",
    domain: "security",
    role: "specialist",
    description: "Finds vulnerabilities in code and configuration.",
    capabilities: ["vulnerability-scan", "threat-modeling"],
  },
  { url: "https://agents.example.com/security-auditor/" },
);
const sdkCard = AgentCard.fromJSON(card);
const sdkSign = generateAgentCardSignature(privateKey, { alg: "ES256", kid: "cards", typ: "JOSE" });
const sdkVerify = verifyAgentCardSignature(async () => publicKey);
const signed = await signAgentCard(card, signer);
const sdkSigned = AgentCard.fromJSON(signed);

await compare(
  "sign one agent card (ES256)",
  { name: "@a2a-js/sdk generateAgentCardSignature", fn: async () => do_not_optimize(await sdkSign(sdkCard)) },
  { name: "signAgentCard", fn: async () => do_not_optimize(await signAgentCard(card, signer)) },
);
await compare(
  "verify one agent card (ES256)",
  { name: "@a2a-js/sdk verifyAgentCardSignature", fn: async () => do_not_optimize(await sdkVerify(sdkSigned)) },
  { name: "verifyAgentCard (trust policy)", fn: async () => do_not_optimize(await verifyAgentCard(signed, trust)) },
);

// MCP: one tool, called in-process.
const connectPair = async () => {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const instance = new McpServer({ name: "calc", version: "1.0.0" });
  instance.registerTool(
    "add",
    { description: "Adds two numbers.", inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }),
  );
  await instance.connect(serverSide);
  return clientSide;
};
const client = new Client({ name: "bench", version: "1.0.0" });
await client.connect(await connectPair());
const registry = await mcpTools({ server: "calc", transport: await connectPair() });
const add = registry.get("calc/add");
const context = { signal: undefined, toolName: "calc/add", agent: undefined };
await compare(
  "call one MCP tool (in-process transport)",
  {
    name: "MCP SDK Client.callTool",
    fn: async () => do_not_optimize(await client.callTool({ name: "add", arguments: { a: 1, b: 2 } })),
  },
  { name: "mcpTools registry get(…)", fn: async () => do_not_optimize(await add({ a: 1, b: 2 }, context)) },
);
await registry.close();
await client.close();

console.log("| operation | peer | peer (median) | @nextgen | @nextgen (median) | ratio (ours / peer) |");
console.log("|---|---|---:|---|---:|---:|");
const format = (micros) => (micros >= 1000 ? `${(micros / 1000).toFixed(2)} ms` : `${micros.toFixed(1)} µs`);
for (const row of rows) {
  console.log(
    `| ${row.title} | ${row.peer} | ${format(row.peerMicros)} | ${row.ours} | ${format(row.ourMicros)} | ${(row.ourMicros / row.peerMicros).toFixed(2)}× |`,
  );
}
