import { once } from "node:events";
import { createServer } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { pacedLoad } from "./paced-load.mjs";

const servers = [];
async function serve(handler) {
  const server = createServer(handler);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}/runs?x=1`;
}
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

describe("pacedLoad", () => {
  it("sends every request with its method, path, headers and body, and reads fixed-length and chunked answers", async () => {
    const seen = [];
    const url = await serve((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        if (seen.length % 2 === 0) {
          res.writeHead(201, { "content-type": "application/json" });
          res.write('{"part":');
          res.end('"two"}'); // no content-length: chunked
        } else {
          const text = JSON.stringify({ ok: true });
          res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
          res.end(text);
        }
      });
    });
    const result = await pacedLoad({
      url,
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: '{"input":"é"}',
      rate: 200,
      durationMs: 300,
      connections: 4,
    });
    expect(result.errors).toBe(0);
    expect(result.latencies).toHaveLength(60);
    expect(Object.fromEntries(result.statuses)).toEqual({ 200: 30, 201: 30 });
    expect(seen).toHaveLength(60);
    expect(seen.every((r) => r.method === "POST" && r.url === "/runs?x=1" && r.auth === "Bearer t")).toBe(true);
    expect(seen.every((r) => r.body === '{"input":"é"}')).toBe(true);
  });

  it("counts the time a request waited for a connection (coordinated omission)", async () => {
    let first = true;
    const url = await serve((_req, res) => {
      const delay = first ? 200 : 0;
      first = false;
      setTimeout(() => res.end("ok"), delay);
    });
    // One connection, a request every 10 ms: the ones scheduled during the first answer's 200 ms
    // wait behind it, and their latencies say so.
    const { latencies, errors } = await pacedLoad({ url, rate: 100, durationMs: 300, connections: 1 });
    expect(errors).toBe(0);
    expect(latencies).toHaveLength(30);
    expect(latencies[0]).toBeGreaterThanOrEqual(195);
    expect(latencies[1]).toBeGreaterThanOrEqual(180); // scheduled at +10 ms, sent after +200 ms
  });

  it("counts dropped connections and unanswered requests as errors, and still finishes", async () => {
    let n = 0;
    const url = await serve((req, res) => {
      n++;
      if (n % 3 === 0) req.socket.destroy();
      else if (n % 3 === 1) res.end("ok");
      // n % 3 === 2: never answered
    });
    const result = await pacedLoad({ url, rate: 100, durationMs: 120, connections: 2, timeoutMs: 150 });
    expect(result.latencies.length + result.errors).toBe(12);
    expect(result.errors).toBeGreaterThan(0);
    expect(result.statuses.get(200)).toBe(result.latencies.length);
  });

  it("refuses what it cannot do", () => {
    expect(() => pacedLoad({ url: "http://127.0.0.1:1/", rate: 0, durationMs: 1, connections: 1 })).toThrow();
    expect(() => pacedLoad({ url: "https://127.0.0.1:1/", rate: 1, durationMs: 1, connections: 1 })).toThrow(/HTTP/);
  });
});
