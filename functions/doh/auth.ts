// Bearer tokens for the edge entries, closed by default (docs/architecture.md §1):
// `Authorization: Bearer <token>` (RFC 6750 §2.1) or the path form `/dns-query/<token>` for
// clients that cannot set headers. JWTs and what a token allows: token-auth.ts.

/** What a request presented: nothing, a token that matches none, or a configured token. */
export type AuthOutcome = 'ok' | 'missing' | 'invalid';

const encoder = new TextEncoder();

/** `Authorization: Bearer <b64token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match?.[1];
}

/**
 * Checks a presented token against every configured one. The time taken depends on the
 * configured tokens only, not on how much of the presented token matches: every token is
 * compared, every byte of it, without an early exit.
 */
export function tokenChecker(
  tokens: readonly string[],
): (presented: string | undefined) => AuthOutcome {
  const wanted = tokens.map((t) => encoder.encode(t));
  return (presented) => {
    if (presented === undefined || presented === '') return 'missing';
    const given = encoder.encode(presented);
    let ok = 0;
    for (const token of wanted) ok |= equalBytes(given, token);
    return ok === 1 ? 'ok' : 'invalid';
  };
}

/** 1 when equal, else 0; loops over `secret` whatever `given` holds. */
function equalBytes(given: Uint8Array, secret: Uint8Array): number {
  let diff = given.length ^ secret.length;
  const n = given.length || 1;
  for (let i = 0; i < secret.length; i++) diff |= (given[i % n] ?? 0) ^ secret[i]!;
  return diff === 0 ? 1 : 0;
}

/** The challenge of a 401 (RFC 6750 §3, §3.1). */
export function challenge(outcome: Exclude<AuthOutcome, 'ok'>): string {
  return outcome === 'invalid'
    ? 'Bearer realm="edge-dns", error="invalid_token"'
    : 'Bearer realm="edge-dns"';
}
