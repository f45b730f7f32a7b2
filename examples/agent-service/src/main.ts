// `npm start -w @example/agent-service`: the service on its configuration from the
// environment (embedded defaults when none), with graceful shutdown on SIGTERM / SIGINT.
import { NextGenError } from "@nextgen/core";
import { loadConfig, type ServiceConfig } from "./config/service-config.js";
import { createAgentService } from "./service.js";

const EX_CONFIG = 78;

function exitOnConfigError(error: unknown): never {
  if (NextGenError.is(error, "NG_ERR_SERVICE_CONFIG")) {
    process.stderr.write(`${error.code} ${error.message}\n`);
    process.exit(EX_CONFIG);
  }
  throw error;
}

let config: ServiceConfig;
try {
  config = loadConfig(process.env);
} catch (error) {
  exitOnConfigError(error);
}
const service = await createAgentService(config).catch(exitOnConfigError);
const url = await service.listen();
const lines = [
  `agent-service listening on ${url} (model: ${service.model}; audit log: ${service.auditLog})`,
  `  API docs: ${url}/docs   OpenAPI: ${url}/openapi.json`,
];
if (service.issuer) {
  const token = await service.issuer.mint("dev-admin", ["admin"]);
  lines.push(
    "  development admin token (embedded key, valid 12 h; set AUTH_JWKS_FILE and RBAC_FILE in production):",
    `  ${token}`,
    "  try:",
    `  curl -s -X POST ${url}/v1/agents/security/auditor/runs -H "authorization: Bearer ${token}" -H "content-type: application/json" -d '{"input":"password = hunter2"}'`,
  );
}
process.stdout.write(`${lines.join("\n")}\n`);

const stop = (signal: string) => {
  process.stdout.write(`${signal}: draining (finishing runs in flight)…\n`);
  service.shutdown().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`shutdown failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
process.once("SIGTERM", () => stop("SIGTERM"));
process.once("SIGINT", () => stop("SIGINT"));
