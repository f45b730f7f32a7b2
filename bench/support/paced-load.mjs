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
//
// Why raw sockets and not node:http's client: the generator shares the machine's two cores
// with the server it measures, and every latency it records includes its own event loop's
// delays. node:http's client cost ~180 µs of CPU per request here (autocannon ~44 µs): at
// 1,500 requests/s that is a quarter of a core taken from the server, and its own garbage
// collections counted as server latency. This client writes one prebuilt request per send
// and reads the status line and the body's length, nothing else (~40 µs per request, like
// autocannon's), as wrk2 does in C.
import { connect } from "node:net";

const HEADER_END = Buffer.from("\r\n\r\n");

/**
 * Drives `url` with `rate` requests per second for `durationMs`.
 * Resolves with every latency (ms, from the scheduled time), the statuses and the errors; a
 * request without an answer within `timeoutMs` (30 s) closes its connection and counts as an error.
 *
 * @example
 * const { latencies } = await pacedLoad({ url, method: "POST", headers, body, rate: 100, durationMs: 10_000, connections: 8 });
 */
export function pacedLoad({
  url,
  method = "GET",
  headers = {},
  body,
  rate,
  durationMs,
  connections,
  timeoutMs = 30_000,
}) {
  if (!(rate > 0) || !(durationMs > 0) || !(connections >= 1)) throw new Error("rate, durationMs, connections > 0");
  const target = new URL(url);
  if (target.protocol !== "http:") throw new Error(`pacedLoad speaks plain HTTP/1.1 only (got ${target.protocol})`);
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
  const requestBytes = Buffer.concat([
    Buffer.from(
      `${method} ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\n` +
        Object.entries(headers)
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join("") +
        `content-length: ${payload.length}\r\n\r\n`,
    ),
    payload,
  ]);
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const interval = 1000 / rate;
  const latencies = [];
  const statuses = new Map();
  let errors = 0;
  let sent = 0;
  let done = 0;
  const idle = [];
  const open = new Set();
  const waiting = []; // scheduled times of requests waiting for a free connection
  let waitingHead = 0;

  return new Promise((resolve) => {
    const start = performance.now();
    const watchdog = setInterval(
      () => {
        const now = performance.now();
        for (const connection of open) {
          if (connection.scheduled !== undefined && now - connection.sentAt > timeoutMs) {
            connection.socket.destroy(new Error(`no answer within ${timeoutMs} ms`));
          }
        }
      },
      Math.min(1000, timeoutMs),
    );
    const finish = () => {
      if (++done < total) return;
      clearInterval(watchdog);
      for (const connection of open) connection.socket.destroy();
      const elapsed = (performance.now() - start) / 1000;
      resolve({ latencies, statuses, errors, sent, elapsedSeconds: elapsed, asked: rate });
    };
    const answered = (connection, status) => {
      latencies.push(performance.now() - connection.scheduled);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      connection.scheduled = undefined;
      if (waitingHead < waiting.length) dispatch(connection, waiting[waitingHead++]);
      else idle.push(connection);
      finish();
    };
    const failed = (connection) => {
      open.delete(connection);
      const index = idle.indexOf(connection);
      if (index >= 0) idle.splice(index, 1);
      if (connection.scheduled !== undefined) {
        connection.scheduled = undefined;
        errors++;
        finish();
      }
      // A request waiting for a free connection gets a new one (else it would wait forever).
      if (waitingHead < waiting.length && open.size < connections) dispatch(opened(), waiting[waitingHead++]);
    };
    const dispatch = (connection, scheduled) => {
      connection.scheduled = scheduled;
      connection.sentAt = performance.now();
      connection.socket.write(requestBytes);
    };
    const opened = () => {
      const socket = connect({ host: target.hostname, port: Number(target.port || 80), noDelay: true });
      const connection = { socket, scheduled: undefined, sentAt: 0, pending: undefined };
      open.add(connection);
      socket.on("data", (chunk) => {
        connection.pending = connection.pending === undefined ? chunk : Buffer.concat([connection.pending, chunk]);
        for (;;) {
          if (connection.scheduled === undefined) {
            socket.destroy(new Error("a response nobody asked for"));
            return;
          }
          const response = parseResponse(connection.pending);
          if (response === undefined) return;
          if (response.error) {
            socket.destroy(new Error(response.error));
            return;
          }
          connection.pending =
            response.end < connection.pending.length ? connection.pending.subarray(response.end) : undefined;
          answered(connection, response.status);
          if (connection.pending === undefined) return;
        }
      });
      socket.on("error", () => failed(connection));
      socket.on("close", () => failed(connection));
      return connection;
    };
    const send = (scheduled) => {
      const connection = idle.pop() ?? (open.size < connections ? opened() : undefined);
      if (connection) dispatch(connection, scheduled);
      else waiting.push(scheduled);
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

/**
 * One HTTP/1.1 response at the start of `bytes`: `{ status, end }` (the offset after it),
 * `undefined` while incomplete, or `{ error }`. Bodies framed by `content-length` or chunked.
 */
function parseResponse(bytes) {
  const headerEnd = bytes.indexOf(HEADER_END);
  if (headerEnd < 0) return bytes.length > 64 * 1024 ? { error: "response head over 64 KiB" } : undefined;
  const head = bytes.toString("latin1", 0, headerEnd);
  const status = Number(head.slice(9, 12));
  if (!head.startsWith("HTTP/1.1 ") || !(status >= 100 && status <= 599)) return { error: "not an HTTP/1.1 response" };
  const bodyStart = headerEnd + 4;
  const length = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (length) {
    const end = bodyStart + Number(length[1]);
    return end <= bytes.length ? { status, end } : undefined;
  }
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
    let offset = bodyStart;
    for (;;) {
      const lineEnd = bytes.indexOf("\r\n", offset, "latin1");
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(bytes.toString("latin1", offset, lineEnd), 16);
      if (!Number.isFinite(size)) return { error: "bad chunk size" };
      offset = lineEnd + 2 + size + 2;
      if (offset > bytes.length) return undefined;
      if (size === 0) return { status, end: offset };
    }
  }
  return status === 204 || status === 304 ? { status, end: bodyStart } : { error: "response without a length" };
}
