// A verified JWT's claims as a token scope (docs/architecture.md §6.19): `zones`, `namespaces`
// and `clusters`, each an array of strings when present (RFC 7519 §4.3 private claim names).
// A claim of another shape makes the token invalid rather than unrestricted.
import type { TokenScope } from './token-scope.ts';

const CLAIMS = ['zones', 'namespaces', 'clusters'] as const;

/** The scope the claims give, or the claim that is not an array of strings. */
export function scopeOfClaims(claims: Record<string, unknown>): TokenScope | { bad: string } {
  const scope: { -readonly [K in keyof TokenScope]: string[] } = {};
  for (const claim of CLAIMS) {
    const v = claims[claim];
    if (v === undefined) continue;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) return { bad: claim };
    // Names compare canonical: lowercase, no trailing dot ('.' alone is the root).
    scope[claim] = claim === 'zones' ? v.map((z: string) => z.toLowerCase().replace(/\.$/, '')) : v;
  }
  return scope;
}

/** Whether a scope restricts anything. */
export function restricted(scope: TokenScope): boolean {
  return CLAIMS.some((c) => scope[c] !== undefined);
}
