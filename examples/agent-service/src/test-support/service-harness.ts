// Test support: an agent service on a real port (0, loopback), with its responses checked.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { loadConfig } from "../config/service-config.js";
import { type AgentService, createAgentService } from "../service.js";
import { type OpenApiChecker, openApiChecker } from "./openapi-checker.js";

/** A response, read and checked against the OpenAPI document. */
export interface CheckedResponse {
  status: number;
  headers: Headers;
  text: string;
  json: () => Record<string, unknown>;
}

/** A started service and a client for it. */
export interface Harness {
  service: AgentService;
  url: string;
  stateDir: string;
  openapi: OpenApiChecker;
  /** The JSON log lines the service wrote. */
  logs: Record<string, unknown>[];
  /** A development token with these roles. */
  token(roles: string[], subject?: string): Promise<string>;
  /** Sends a request and checks the response against the OpenAPI document. */
  request(
    method: string,
    path: string,
    init?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<CheckedResponse>;
  close(): Promise<void>;
}

/** Starts a service on embedded defaults plus `env`, in a fresh state directory. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const stateDir = await mkdtemp(join(tmpdir(), "agent-service-test-"));
  const logs: Record<string, unknown>[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n"))
        if (line.trim() !== "") logs.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const config = loadConfig({ PORT: "0", STATE_DIR: stateDir, LOG_LEVEL: "info", ...env });
  const service = await createAgentService(config, { logStream });
  const url = await service.listen();
  const openapi = await openApiChecker(`${url}/openapi.json`);
  return {
    service,
    url,
    stateDir,
    openapi,
    logs,
    token: (roles, subject = "tester") => {
      if (!service.issuer) throw new Error("no development issuer (AUTH_JWKS_FILE is set)");
      return service.issuer.mint(subject, roles);
    },
    async request(method, path, init = {}) {
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
      let body: string | undefined;
      if (init.rawBody !== undefined) body = init.rawBody;
      else if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers["content-type"] ??= "application/json";
      }
      const response = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await response.text();
      openapi.check(method, `${url}${path}`, response.status, response.headers.get("content-type"), text);
      return {
        status: response.status,
        headers: response.headers,
        text,
        json: () => JSON.parse(text) as Record<string, unknown>,
      };
    },
    async close() {
      await service.shutdown();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
