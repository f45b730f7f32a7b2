import { generateKeyPairSync } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { bearerAuthenticator, checkJwks } from "./bearer-auth.js";

const key = generateKeyPairSync("ed25519");
const jwks = { keys: [{ ...key.publicKey.export({ format: "jwk" }), kid: "k1", alg: "EdDSA" }] } as never;
const T0 = Date.parse("2026-06-01T00:00:00Z");

const mint = (expiresAtMs: number, claims: Record<string, unknown> = { roles: ["reader", 7] }) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "EdDSA", kid: "k1" })
    .setSubject("alice")
    .setIssuedAt(T0 / 1000)
    .setExpirationTime(expiresAtMs / 1000)
    .sign(key.privateKey);

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: { code?: string }) => error.code,
  );

describe("bearerAuthenticator", () => {
  it("returns the subject and the string roles of a valid token", async () => {
    const clock = { now: () => T0 };
    const authenticate = bearerAuthenticator({ jwks, clock });
    expect(await authenticate(`Bearer ${await mint(T0 + 60_000)}`)).toEqual({ subject: "alice", roles: ["reader"] });
  });

  it("remembers a verified token only until it expires (fake clock)", async () => {
    let now = T0;
    const authenticate = bearerAuthenticator({ jwks, clock: { now: () => now } });
    const token = await mint(T0 + 60_000);
    expect(await code(authenticate(`Bearer ${token}`))).toBe("ok");
    now = T0 + 59_000;
    expect(await code(authenticate(`Bearer ${token}`))).toBe("ok");
    now = T0 + 61_000;
    expect(await code(authenticate(`Bearer ${token}`))).toBe("NG_ERR_AUTH_INVALID");
  });

  it("refuses a clock that is not a Clock (a bare function) at construction, naming the option", () => {
    expect(() => bearerAuthenticator({ jwks, clock: (() => T0) as never })).toThrow(
      expect.objectContaining({ code: "NG_ERR_OPTIONS_INVALID", option: "options.clock" }),
    );
  });

  it("refuses a missing header, another scheme, and a token without a subject", async () => {
    const authenticate = bearerAuthenticator({ jwks, clock: { now: () => T0 } });
    expect(await code(authenticate(undefined))).toBe("NG_ERR_AUTH_MISSING");
    expect(await code(authenticate("Basic abc"))).toBe("NG_ERR_AUTH_INVALID");
    const anonymous = await new SignJWT({ roles: ["admin"] })
      .setProtectedHeader({ alg: "EdDSA", kid: "k1" })
      .setExpirationTime(T0 / 1000 + 60)
      .sign(key.privateKey);
    expect(await code(authenticate(`Bearer ${anonymous}`))).toBe("NG_ERR_AUTH_INVALID");
  });

  it("accepts only public asymmetric keys in the JWKS", () => {
    expect(() => checkJwks({ keys: [] })).toThrow(/AUTH_JWKS_FILE: must be a JWK set/);
    expect(() => checkJwks({ keys: [{ kty: "oct", k: "abc" }] })).toThrow(/kty "oct" is refused/);
    expect(() => checkJwks({ keys: [{ ...key.privateKey.export({ format: "jwk" }) }] })).toThrow(/private key/);
  });
});
