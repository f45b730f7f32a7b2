// An open-loop load generator at a fixed rate, for the fixed-rate phases of bench/service.mjs
// (the way wrk2 measures): request i is *scheduled* at start + i / rate, whatever happened to
// the requests before it; it is sent on one of `connections` keep-alive connections (or waits
// for a free one), and its latency runs from its scheduled time to the end of its response.
// A server that stalls therefore gets charged for every request that should have been sent
// during the stall (coordinated omission is counted), and the rate is even: no bursts.
//
// Why not autocannon's `overallRate`: autocannon (node_modules/autocannon/lib/httpClient.js)
// gives each connection a quota per second, resets it with `setInterval(…, 1000)` and sends
// back-to-back until the quota is used, so "80 % of the maximum" is the maximum rate for about
// 0.8 s of every second and silence for the rest: the latency of a saturated server.
import { Agent, request } from "node:http";

const TIMEOUT_MS = 30_000;

/**
 * Drives `url` with `rate` requests per second for `durationMs`.
 * Resolves with every latency (ms, from the scheduled time), the statuses and the errors.
 *
 * @example
 * const { latencies } = await pacedLoad({ url, method: "POST", headers, body, rate: 100, durationMs: 10_000, connections: 8 });
 */
export function pacedLoad({ url, method = "GET", headers = {}, body, rate, durationMs, connections }) {
  if (!(rate > 0) || !(durationMs > 0) || !(connections >= 1)) throw new Error("rate, durationMs, connections > 0");
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const target = new URL(url);
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const interval = 1000 / rate;
  const payload = body === undefined ? undefined : Buffer.from(body);
  const allHeaders = payload === undefined ? headers : { ...headers, "content-length": String(payload.length) };
  const latencies = [];
  const statuses = new Map();
  let errors = 0;
  let sent = 0;
  let done = 0;
  // Sockets are opened on demand by the phase's first requests (their connect time counts);
  // a request without an answer within TIMEOUT_MS is an error, so a stuck server cannot hang the bench.
  return new Promise((resolve) => {
    const start = performance.now();
    const finish = () => {
      if (++done < total) return;
      agent.destroy();
      const elapsed = (performance.now() - start) / 1000;
      resolve({ latencies, statuses, errors, sent, elapsedSeconds: elapsed, asked: rate });
    };
    const send = (scheduled) => {
      const req = request(
        {
          agent,
          hostname: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method,
          headers: allHeaders,
        },
        (res) => {
          res.on("data", () => {});
          res.on("end", () => {
            latencies.push(performance.now() - scheduled);
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            finish();
          });
        },
      );
      req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      req.on("error", () => {
        errors++;
        finish();
      });
      req.end(payload);
    };
    // Every tick sends all the requests whose time has come, each stamped with its own
    // scheduled time (a late tick does not shift the schedule).
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) send(start + sent++ * interval);
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(1, start + sent * interval - now)));
    };
    tick();
  });
}
