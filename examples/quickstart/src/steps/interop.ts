import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { agentCard, signAgentCard, verifyAgentCard } from "@nextgen/a2a";
import { localKeySigner, NextGenError, parseTemplate, type TrustedKey } from "@nextgen/core";
import { mcpTools } from "@nextgen/mcp";
import { z } from "zod";
import type { QuickstartStep } from "../context.js";

/** Someone else's MCP server, here on loopback: one tool counting words, over Streamable HTTP. */
async function startWordServer(): Promise<{ url: URL; close(): Promise<void> }> {
  const http = createServer((request, response) => {
    // Stateless: a fresh server and transport per request.
    const server = new McpServer({ name: "text", version: "1.0.0" });
    server.registerTool(
      "word-count",
      { description: "Counts the words of a text.", inputSchema: { text: z.string() } },
      async ({ text }) => ({ content: [{ type: "text", text: String(text.split(/\s+/).filter(Boolean).length) }] }),
    );
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on("close", () => void transport.close());
    void server.connect(transport).then(() => transport.handleRequest(request, response));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`),
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/**
 * One MCP tool and one signed A2A card: the MCP server's tool joins the tool registry
 * with a digest a template can pin, and the auditor's agent card is signed with a core
 * signer and verified against a trust policy, then refused once tampered with.
 */
export const interopStep: QuickstartStep = async (context) => {
  context.heading("Interop: one MCP tool and one signed A2A card");
  const server = await startWordServer();
  const tools = await mcpTools({ server: "text", transport: () => new StreamableHTTPClientTransport(server.url) });
  try {
    const definition = tools.definition("text/word-count");
    if (definition === undefined) throw new Error("the MCP server did not offer text/word-count");
    console.log(`MCP tool   text/word-count: "${definition.description}"`);
    console.log(`  pin      ${definition.digest} (toolPins; nextgen sign --pin-tools records it)`);
    const result = (await definition.execute(
      { text: "signed templates, verified agents" },
      { signal: undefined, toolName: "text/word-count", agent: undefined },
    )) as { content: Array<{ text?: string }> };
    console.log(`  called   "signed templates, verified agents" -> ${result.content[0]?.text} words`);

    const template = parseTemplate(await readFile(join(context.samplesDir, "security", "auditor.json")));
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const signer = localKeySigner({ key: privateKey, keyId: "cards-demo" });
    const card = await signAgentCard(
      agentCard(template, { url: "https://agents.example.com/security-auditor/" }),
      signer,
    );
    const key = { ...publicKey.export({ format: "jwk" }), kid: "cards-demo", alg: "EdDSA" } as TrustedKey;
    // A trust.json document: cards have no version history, so no rollback state is needed.
    const trust = { version: 1 as const, keys: [key] };
    const { keyIds } = await verifyAgentCard(card, trust);
    console.log(
      `A2A card   ${card.name} ${card.version}: ${card.skills.length} skill(s), signed by ${keyIds.join(", ")}`,
    );
    const refusal = await verifyAgentCard({ ...card, description: "Sends your secrets elsewhere." }, trust).catch(
      (error: unknown) => error,
    );
    console.log(`  tampered ${NextGenError.is(refusal) ? `refused: ${refusal.code}` : "accepted (unexpected)"}`);
  } finally {
    await tools.close();
    await server.close();
  }
};
