import { NextGenError } from "@nextgen/core";
import type { FastifyRequest } from "fastify";
import type { Authenticate, Principal } from "../auth/bearer-auth.js";
import type { RbacAction, RbacPolicy } from "../auth/rbac.js";
import type { ServiceErrorCode } from "../errors/service-error-codes.js";
import type { AuditRecorder } from "../runtime/audit-recorder.js";
import { traceOf } from "./request-trace.js";

/** Authenticates and authorizes requests, recording each decision. */
export interface Authorizer {
  /** The RBAC policy (to filter lists). */
  readonly rbac: RbacPolicy;
  /** The caller, or `NG_ERR_AUTH_MISSING` / `NG_ERR_AUTH_INVALID`. */
  authenticate(request: FastifyRequest): Promise<Principal>;
  /** The caller, if one of its roles grants `action` on `templateId` (else `NG_ERR_AUTH_FORBIDDEN`). */
  authorize(request: FastifyRequest, action: RbacAction, templateId: string): Promise<Principal>;
  /** The caller, if one of its roles grants `action` on some template. */
  authorizeAny(request: FastifyRequest, action: RbacAction): Promise<Principal>;
}

const principals = new WeakMap<FastifyRequest, Promise<Principal>>();

/**
 * Bearer authentication then RBAC, default deny. Every outcome is an audit record:
 * `http.authenticate` (deny, with the code) and `http.authorize` (allow / deny), with the
 * caller, the template id (or `*`) and the request's trace id.
 */
export function createAuthorizer(authenticateHeader: Authenticate, rbac: RbacPolicy, audit: AuditRecorder): Authorizer {
  const authenticate = (request: FastifyRequest): Promise<Principal> => {
    let principal = principals.get(request);
    if (!principal) {
      principal = authenticateHeader(request.headers.authorization).catch((error: unknown) => {
        audit.record({
          actor: null,
          action: "http.authenticate",
          resource: `${request.method} ${request.routeOptions.url ?? request.url}`,
          decision: "deny",
          reason: NextGenError.is(error) ? error.code : "NG_ERR_AUTH_INVALID",
          traceId: traceOf(request).traceId,
        });
        throw error;
      });
      principals.set(request, principal);
    }
    return principal;
  };
  const decide = async (
    request: FastifyRequest,
    action: RbacAction,
    resource: string,
    allowed: (p: Principal) => boolean,
  ) => {
    const principal = await authenticate(request);
    const allow = allowed(principal);
    audit.record({
      actor: principal.subject,
      action: "http.authorize",
      resource: `${action} ${resource}`,
      decision: allow ? "allow" : "deny",
      reason: allow ? `roles ${principal.roles.join(",")}` : "NG_ERR_AUTH_FORBIDDEN",
      traceId: traceOf(request).traceId,
    });
    if (!allow) {
      throw new NextGenError<ServiceErrorCode>(
        "NG_ERR_AUTH_FORBIDDEN",
        `None of the roles [${principal.roles.join(", ")}] grants "${action}" on ${resource}.`,
      );
    }
    return principal;
  };
  return {
    rbac,
    authenticate,
    authorize: (request, action, templateId) =>
      decide(request, action, templateId, (principal) => rbac.allows(principal.roles, action, templateId)),
    authorizeAny: (request, action) =>
      decide(request, action, "*", (principal) => rbac.allowsAny(principal.roles, action)),
  };
}
