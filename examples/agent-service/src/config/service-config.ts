import { isAbsolute, resolve } from "node:path";
import { ConfigError } from "./config-error.js";

/** The service's configuration, from the environment, validated. */
export interface ServiceConfig {
  port: number;
  host: string;
  /** Signed templates; `undefined` runs on the embedded samples, signed at start with a throwaway key. */
  templatesDir: string | undefined;
  trustFile: string | undefined;
  /** Rollback marks, and in embedded mode the signed samples and the audit log. */
  stateDir: string | undefined;
  /** The file tier's directory. */
  cacheDir: string | undefined;
  redisUrl: string | undefined;
  /** Prefix of the Redis keys and channel; instances of one deployment share it. */
  redisPrefix: string;
  /** JWKS of the token issuer; `undefined` runs with a development key and prints an admin token. */
  authJwksFile: string | undefined;
  authIssuer: string | undefined;
  authAudience: string | undefined;
  rbacFile: string | undefined;
  auditLog: string | undefined;
  openaiApiKey: string | undefined;
  openaiBaseUrl: string | undefined;
  /** The `reasoning` (and `fast`) model names on the OpenAI-compatible server. */
  openaiModel: string;
  openaiModelFast: string;
  /** Latency of the scripted model per step, in milliseconds (development and tests). */
  scriptedLatencyMs: number;
  /** Largest request body in bytes. */
  bodyLimitBytes: number;
  /** Longest `input` (its JSON text) in characters. */
  maxInputChars: number;
  /** Log level of pino. */
  logLevel: string;
  /** Base URL clients reach the service at (written in the signed A2A cards); default: the listening address. */
  publicUrl: string | undefined;
  /** PKCS#8 PEM private key (Ed25519 or P-256) signing the A2A cards; default: a throwaway key made at start. */
  a2aCardKeyFile: string | undefined;
  /** `kid` of the card signing key. */
  a2aCardKeyId: string;
}

/** Environment variables the service reads (documented in docs/service.md). */
export type ServiceEnv = Readonly<Record<string, string | undefined>>;

const text = (env: ServiceEnv, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
};

const path = (env: ServiceEnv, name: string): string | undefined => {
  const value = text(env, name);
  if (value === undefined) return undefined;
  if (value.includes("\0")) throw new ConfigError(name, "must be a file path");
  return isAbsolute(value) ? value : resolve(value);
};

function integer(env: ServiceEnv, name: string, fallback: number, min: number, max: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  const parsed = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(name, `must be an integer ${min}–${max}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

function url(env: ServiceEnv, name: string, protocols: readonly string[]): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL, got ${JSON.stringify(value)}`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must be a ${protocols.join(" or ")} URL, got ${parsed.protocol}`);
  }
  return value;
}

/**
 * Reads and checks the configuration. Throws a {@link ConfigError} naming the first bad
 * variable; files are read (and checked) later, by the parts that use them, with the same
 * error.
 *
 * @example
 * ```ts
 * const config = loadConfig(process.env);
 * ```
 */
export function loadConfig(env: ServiceEnv): ServiceConfig {
  const config: ServiceConfig = {
    port: integer(env, "PORT", 3000, 0, 65_535),
    host: text(env, "HOST") ?? "127.0.0.1",
    templatesDir: path(env, "TEMPLATES_DIR"),
    trustFile: path(env, "TRUST_FILE"),
    stateDir: path(env, "STATE_DIR"),
    cacheDir: path(env, "CACHE_DIR"),
    redisUrl: url(env, "REDIS_URL", ["redis:", "rediss:"]),
    redisPrefix: text(env, "NEXTGEN_REDIS_PREFIX") ?? "nextgen:agent-service:",
    authJwksFile: path(env, "AUTH_JWKS_FILE"),
    authIssuer: text(env, "AUTH_ISSUER"),
    authAudience: text(env, "AUTH_AUDIENCE"),
    rbacFile: path(env, "RBAC_FILE"),
    auditLog: path(env, "AUDIT_LOG"),
    openaiApiKey: text(env, "OPENAI_API_KEY"),
    openaiBaseUrl: url(env, "OPENAI_BASE_URL", ["http:", "https:"]),
    openaiModel: text(env, "OPENAI_MODEL") ?? "gpt-4o",
    openaiModelFast: text(env, "OPENAI_MODEL_FAST") ?? "gpt-4o-mini",
    scriptedLatencyMs: integer(env, "NEXTGEN_SCRIPTED_LATENCY_MS", 0, 0, 60_000),
    bodyLimitBytes: integer(env, "NEXTGEN_BODY_LIMIT_BYTES", 64 * 1024, 1024, 16 * 1024 * 1024),
    maxInputChars: integer(env, "NEXTGEN_MAX_INPUT_CHARS", 16 * 1024, 1, 16 * 1024 * 1024),
    logLevel: text(env, "LOG_LEVEL") ?? "info",
    publicUrl: url(env, "PUBLIC_URL", ["http:", "https:"])?.replace(/\/+$/, ""),
    a2aCardKeyFile: path(env, "A2A_CARD_KEY_FILE"),
    a2aCardKeyId: text(env, "A2A_CARD_KEY_ID") ?? "agent-service-cards",
  };
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(config.host))
    throw new ConfigError("HOST", `must be a host name or address, got ${JSON.stringify(config.host)}`);
  if (config.templatesDir !== undefined && config.trustFile === undefined) {
    throw new ConfigError("TRUST_FILE", "is required when TEMPLATES_DIR is set (templates are verified before use)");
  }
  if (config.trustFile !== undefined && config.templatesDir === undefined) {
    throw new ConfigError("TEMPLATES_DIR", "is required when TRUST_FILE is set");
  }
  if (config.authJwksFile === undefined && (config.authIssuer !== undefined || config.authAudience !== undefined)) {
    throw new ConfigError(config.authIssuer !== undefined ? "AUTH_ISSUER" : "AUTH_AUDIENCE", "needs AUTH_JWKS_FILE");
  }
  if (config.authJwksFile !== undefined && config.rbacFile === undefined) {
    throw new ConfigError("RBAC_FILE", "is required when AUTH_JWKS_FILE is set (default deny: no file grants nothing)");
  }
  if (!["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(config.logLevel)) {
    throw new ConfigError(
      "LOG_LEVEL",
      `must be fatal, error, warn, info, debug, trace or silent, got ${JSON.stringify(config.logLevel)}`,
    );
  }
  return config;
}
