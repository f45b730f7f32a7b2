import { describe, expect, it } from "vitest";
import { loadConfig } from "./service-config.js";

const failure = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return "accepted";
  } catch (error) {
    return `${(error as { code: string }).code} ${(error as Error).message}`;
  }
};

describe("loadConfig", () => {
  it("defaults to embedded mode on 127.0.0.1:3000", () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      templatesDir: undefined,
      authJwksFile: undefined,
      bodyLimitBytes: 65_536,
    });
  });

  it("names the variable of each bad value", () => {
    expect(failure({ PORT: "70000" })).toBe('NG_ERR_SERVICE_CONFIG PORT: must be an integer 0–65535, got "70000"');
    expect(failure({ PORT: "-1" })).toMatch(/^NG_ERR_SERVICE_CONFIG PORT:/);
    expect(failure({ HOST: "a b" })).toMatch(/^NG_ERR_SERVICE_CONFIG HOST:/);
    expect(failure({ TRUST_FILE: "trust.json" })).toBe(
      "NG_ERR_SERVICE_CONFIG TEMPLATES_DIR: is required when TRUST_FILE is set",
    );
    expect(failure({ AUTH_ISSUER: "https://id" })).toBe("NG_ERR_SERVICE_CONFIG AUTH_ISSUER: needs AUTH_JWKS_FILE");
    expect(failure({ AUTH_AUDIENCE: "svc" })).toBe("NG_ERR_SERVICE_CONFIG AUTH_AUDIENCE: needs AUTH_JWKS_FILE");
    expect(failure({ AUTH_JWKS_FILE: "jwks.json" })).toMatch(
      /^NG_ERR_SERVICE_CONFIG RBAC_FILE: is required when AUTH_JWKS_FILE is set/,
    );
    expect(failure({ OPENAI_BASE_URL: "ftp://x" })).toMatch(
      /^NG_ERR_SERVICE_CONFIG OPENAI_BASE_URL: must be a http: or https: URL/,
    );
    expect(failure({ OPENAI_BASE_URL: "not a url" })).toMatch(/^NG_ERR_SERVICE_CONFIG OPENAI_BASE_URL: must be a URL/);
    expect(failure({ LOG_LEVEL: "loud" })).toMatch(/^NG_ERR_SERVICE_CONFIG LOG_LEVEL:/);
    expect(failure({ STATE_DIR: "a\0b" })).toBe("NG_ERR_SERVICE_CONFIG STATE_DIR: must be a file path");
  });

  it("resolves relative paths and keeps the OpenAI settings", () => {
    const config = loadConfig({
      TEMPLATES_DIR: "templates",
      TRUST_FILE: "/etc/trust.json",
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: "http://127.0.0.1:8080/v1",
    });
    expect(config.templatesDir).toBe(`${process.cwd()}/templates`);
    expect(config).toMatchObject({
      trustFile: "/etc/trust.json",
      openaiApiKey: "sk-test",
      openaiBaseUrl: "http://127.0.0.1:8080/v1",
    });
  });
});
