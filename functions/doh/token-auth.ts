// What a DoH request's bearer token allows (docs/architecture.md §6.19): a configured static
// token (auth.ts) everything; a valid JWT (functions/auth/jwt-verifier.ts) the scope of its
// claims; anything else a 401 with the RFC 6750 challenge. Then the token's budget, per token
// identity: over it, 429 with Retry-After. Decided before the body is read or the resolver runs.
import type { JwtVerify } from '../auth/jwt-verifier.ts';
import { restricted, scopeOfClaims } from '../auth/scope-claims.ts';
import type { TokenBudget } from '../auth/token-budget.ts';
import { questionName } from '../auth/question-name.ts';
import { outOfScope, type ScopeContext, type TokenScope } from '../auth/token-scope.ts';
import { tokenChecker, type AuthOutcome } from './auth.ts';
import { rcodeReply } from './servfail.ts';

export interface TokenAuthOptions {
  /** Static bearer tokens: unrestricted. */
  tokens: readonly string[];
  /** JWTs: verified, then restricted to their claims' scope. */
  jwt?: JwtVerify;
  /** What the scope check reads, and what a question outside the scope gets. */
  scope?: ScopeContext & { policy: 'refused' | 'nxdomain' };
  /** A budget per token identity (per app instance). */
  budget?: TokenBudget;
}

export type Authorized =
  | { ok: true; scope?: TokenScope }
  | { ok: false; status: 401; outcome: Exclude<AuthOutcome, 'ok'> }
  | { ok: false; status: 429; retryAfter: number };

/** Compact JWS: three base64url parts (RFC 7515 §7.1). */
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

export function tokenAuthorizer(o: TokenAuthOptions): {
  authorize(presented: string | undefined, nowMs: number): Promise<Authorized>;
  /** The Node fast path's check: true for a static token within its budget (no await). */
  admitStatic(presented: string | undefined, nowMs: number): boolean;
} {
  const check = tokenChecker(o.tokens);
  const spend = (identity: string, nowMs: number): Authorized | undefined => {
    const wait = o.budget?.take(identity, nowMs);
    return wait === undefined ? undefined : { ok: false, status: 429, retryAfter: wait };
  };
  return {
    async authorize(presented, nowMs) {
      const outcome = check(presented);
      if (outcome === 'ok') return spend(`token ${presented}`, nowMs) ?? { ok: true };
      if (outcome === 'missing' || !o.jwt || !JWT.test(presented!))
        return { ok: false, status: 401, outcome };
      const claims = await o.jwt(presented!, nowMs);
      const scope = claims && scopeOfClaims(claims);
      if (!scope || 'bad' in scope) return { ok: false, status: 401, outcome: 'invalid' };
      // A client's renewed tokens share its budget: the issuer and subject name it.
      const identity =
        typeof claims.sub === 'string'
          ? `jwt ${claims.iss ?? ''} ${claims.sub}`
          : `token ${presented}`;
      return spend(identity, nowMs) ?? (restricted(scope) ? { ok: true, scope } : { ok: true });
    },
    admitStatic(presented, nowMs) {
      return check(presented) === 'ok' && spend(`token ${presented}`, nowMs) === undefined;
    },
  };
}

const RCODES = { refused: 5, nxdomain: 3 } as const;

/** The reply to a question outside the token's scope (docs/architecture.md §6.19), else
 *  undefined. A message without one readable question goes on: the resolver answers it FORMERR. */
export function scopeRefusal(
  query: Uint8Array,
  scope: TokenScope,
  context: TokenAuthOptions['scope'],
): Uint8Array | undefined {
  const name = questionName(query);
  if (name === undefined || (context && !outOfScope(scope, name, context))) return undefined;
  // Without a context nothing can be shown inside the scope: REFUSED.
  return rcodeReply(query, RCODES[context?.policy ?? 'refused']) ?? undefined;
}
