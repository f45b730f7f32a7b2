import { connect } from "node:net";

/** Server slots declared in the backend; replicas take them through the runtime API. */
export const SLOTS = 32;

/**
 * The HAProxy configuration: one frontend on loopback, one backend of `SLOTS` server
 * slots (all in maintenance until a replica takes one), active health checks on
 * `/healthz/ready`, and retries with redispatch to another replica on a refused or reset
 * connection, an empty response or a 503 (a replica killed or draining mid-request).
 * Runs are side-effect free here (the scripted model): retrying them is safe.
 */
export function haproxyConfig(options: { port: number; socket: string }): string {
  return `global
  stats socket ${options.socket} mode 600 level admin
  maxconn 4096

defaults
  mode http
  timeout connect 500ms
  timeout client 30s
  timeout server 30s
  timeout http-request 10s
  # Readiness may take a second to say "degraded" while Redis is down (the state probe's
  # bound): a shorter check timeout would take every replica out at once.
  timeout check 2s
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout 503
  option http-buffer-request

frontend cluster
  bind 127.0.0.1:${options.port}
  default_backend replicas

backend replicas
  balance roundrobin
  option httpchk GET /healthz/ready
  http-check expect status 200
  default-server inter 250ms fastinter 100ms downinter 250ms fall 2 rise 1
  server-template r 1-${SLOTS} 127.0.0.1:1 check disabled
`;
}

/** Sends one command line to HAProxy's runtime API and resolves with its answer. */
export function runtimeCommand(socket: string, command: string): Promise<string> {
  return new Promise((settle, reject) => {
    const connection = connect(socket);
    let answer = "";
    connection.setTimeout(5_000, () =>
      connection.destroy(new Error(`HAProxy did not answer ${JSON.stringify(command)}`)),
    );
    connection.on("data", (chunk) => {
      answer += String(chunk);
    });
    connection.once("error", reject);
    connection.once("close", () => settle(answer.trim()));
    connection.end(`${command}\n`);
  });
}

/** Points slot `r<slot>` at a loopback port and lets traffic in (checks start at once). */
export async function enableSlot(socket: string, slot: number, port: number): Promise<void> {
  for (const command of [
    `set server replicas/r${slot} addr 127.0.0.1 port ${port}`,
    `set server replicas/r${slot} state ready`,
  ]) {
    const answer = await runtimeCommand(socket, command);
    if (answer !== "" && !/^IP changed|^no need to change|port changed/i.test(answer))
      throw new Error(`HAProxy refused ${JSON.stringify(command)}: ${answer}`);
  }
}

/** `drain` (finish what it has, take nothing new) or `maint` (out) for slot `r<slot>`. */
export async function setSlotState(socket: string, slot: number, state: "drain" | "maint" | "ready"): Promise<void> {
  const answer = await runtimeCommand(socket, `set server replicas/r${slot} state ${state}`);
  if (answer !== "") throw new Error(`HAProxy refused state ${state} for r${slot}: ${answer}`);
}

/** Status of every slot that is not in maintenance (`UP`, `DOWN`, `DRAIN`, …), from `show stat`. */
export async function slotStatus(socket: string): Promise<Map<number, string>> {
  const csv = await runtimeCommand(socket, "show stat");
  const [header, ...rows] = csv.replace(/^# /, "").split("\n");
  const columns = header!.split(",");
  const nameColumn = columns.indexOf("svname");
  const statusColumn = columns.indexOf("status");
  const status = new Map<number, string>();
  for (const row of rows) {
    const cells = row.split(",");
    const slot = /^r(\d+)$/.exec(cells[nameColumn] ?? "")?.[1];
    if (slot !== undefined) status.set(Number(slot), cells[statusColumn] ?? "");
  }
  return status;
}

/** Waits until every slot in `slots` is UP in HAProxy's view (its health checks passed). */
export async function waitSlotsUp(socket: string, slots: number[], timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((settle) => setTimeout(settle, 50))) {
    const status = await slotStatus(socket);
    if (slots.every((slot) => status.get(slot)?.startsWith("UP"))) return;
    if (Date.now() > deadline)
      throw new Error(`HAProxy did not see slots ${slots.join(", ")} up: ${JSON.stringify([...status])}`);
  }
}
