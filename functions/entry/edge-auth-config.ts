// The edge's DoH authorization settings (docs/architecture.md §6.19): static bearer tokens
// (EDGE_DNS_TOKENS), JWTs (EDGE_DNS_JWT_KEYS and/or EDGE_DNS_JWKS_URL, with EDGE_DNS_JWT_AUDIENCE
// required and EDGE_DNS_JWT_ISSUER), what a question outside a JWT's scope gets
// (EDGE_DNS_SCOPE_POLICY), and a budget per token (EDGE_DNS_TOKEN_BUDGET, per instance or isolate).
// Plain checks, as edge-env-checks.ts; a message never repeats a key or a token.
import { parseJwtKeys, type JwtKeys } from '../auth/jwt-keys.ts';
import { parseTokenBudget, type TokenBudgetOptions } from '../auth/token-budget.ts';
import { given, Invalid, matching, secureUrl, type Check } from './edge-env-checks.ts';

export interface EdgeJwtConfig {
  keys?: JwtKeys;
  jwksUrl?: string;
  audience: string;
  issuer?: string;
  /** A question outside a JWT's scope: REFUSED (default) or NXDOMAIN. */
  scopePolicy: 'refused' | 'nxdomain';
}

/** Who may query: bearer tokens and/or JWTs, or anyone ('public', explicit). */
export type EdgeAuth =
  | {
      tokens: string[];
      jwt?: EdgeJwtConfig;
      budget?: TokenBudgetOptions;
    }
  | 'public';

const checked =
  <T>(parse: (s: string) => T | string | { problem: string }): Check<T> =>
  (s) => {
    const v = parse(s);
    if (typeof v === 'string') return new Invalid(v);
    return typeof v === 'object' && v !== null && 'problem' in v
      ? new Invalid(v.problem)
      : (v as T);
  };

/** A JWK Set URL (a local issuer over http in tests). */
const jwksUrl = secureUrl('URL of a JWK Set');

const text = matching(/^[\x21-\x7e]{1,512}$/, 'expected text without blanks (1-512 characters)');

/** The variables (edge-env-variables.ts spreads them into its table). */
export const edgeAuthVariables = {
  EDGE_DNS_JWT_KEYS: { check: checked(parseJwtKeys) },
  EDGE_DNS_JWKS_URL: { check: jwksUrl },
  EDGE_DNS_JWT_AUDIENCE: { check: text },
  EDGE_DNS_JWT_ISSUER: { check: text },
  EDGE_DNS_SCOPE_POLICY: {
    check: matching(/^(refused|nxdomain)$/, 'expected refused or nxdomain') as Check<
      'refused' | 'nxdomain'
    >,
  },
  EDGE_DNS_TOKEN_BUDGET: { check: checked(parseTokenBudget) },
};

export interface EdgeAuthValues {
  EDGE_DNS_TOKENS?: string[];
  EDGE_DNS_PUBLIC?: boolean;
  EDGE_DNS_JWT_KEYS?: JwtKeys;
  EDGE_DNS_JWKS_URL?: string;
  EDGE_DNS_JWT_AUDIENCE?: string;
  EDGE_DNS_JWT_ISSUER?: string;
  EDGE_DNS_SCOPE_POLICY?: 'refused' | 'nxdomain';
  EDGE_DNS_TOKEN_BUDGET?: TokenBudgetOptions;
}

/**
 * Who may query, from the checked values; `problem` is told every conflict (closed by default:
 * tokens, JWT keys, or an explicit EDGE_DNS_PUBLIC=true).
 */
export function edgeAuthOf(
  v: EdgeAuthValues,
  env: Record<string, unknown>,
  problem: (name: string, message: string) => void,
): EdgeAuth {
  const set = (name: string) => given(env[name]) !== undefined;
  const jwt = set('EDGE_DNS_JWT_KEYS') || set('EDGE_DNS_JWKS_URL');
  const open = v.EDGE_DNS_PUBLIC === true;
  if (open && (set('EDGE_DNS_TOKENS') || jwt))
    problem(
      'EDGE_DNS_PUBLIC',
      'choose one: EDGE_DNS_TOKENS or JWT keys (only those may query) or EDGE_DNS_PUBLIC=true (anyone), not both',
    );
  if (!open && !set('EDGE_DNS_TOKENS') && !jwt)
    problem(
      'EDGE_DNS_TOKENS',
      'required: comma-separated bearer tokens that may query, or JWT keys (EDGE_DNS_JWT_KEYS, EDGE_DNS_JWKS_URL); closed by default, since cluster names are internal data (or set EDGE_DNS_PUBLIC=true to answer anyone)',
    );
  // RFC 8725 §3.9: a token minted for another service must not be taken here.
  if (jwt && !set('EDGE_DNS_JWT_AUDIENCE'))
    problem('EDGE_DNS_JWT_AUDIENCE', 'required with JWT keys: the audience (aud) tokens must name');
  for (const name of ['EDGE_DNS_JWT_AUDIENCE', 'EDGE_DNS_JWT_ISSUER', 'EDGE_DNS_SCOPE_POLICY'])
    if (!jwt && set(name)) problem(name, 'set EDGE_DNS_JWT_KEYS or EDGE_DNS_JWKS_URL too');
  if (open && set('EDGE_DNS_TOKEN_BUDGET'))
    problem('EDGE_DNS_TOKEN_BUDGET', 'a budget per token needs tokens: not with EDGE_DNS_PUBLIC');
  if (open) return 'public';
  return {
    tokens: v.EDGE_DNS_TOKENS ? [...new Set(v.EDGE_DNS_TOKENS)] : [],
    ...(jwt && {
      jwt: {
        ...(v.EDGE_DNS_JWT_KEYS && { keys: v.EDGE_DNS_JWT_KEYS }),
        ...(v.EDGE_DNS_JWKS_URL && { jwksUrl: v.EDGE_DNS_JWKS_URL }),
        audience: v.EDGE_DNS_JWT_AUDIENCE!,
        ...(v.EDGE_DNS_JWT_ISSUER && { issuer: v.EDGE_DNS_JWT_ISSUER }),
        scopePolicy: v.EDGE_DNS_SCOPE_POLICY ?? 'refused',
      },
    }),
    ...(v.EDGE_DNS_TOKEN_BUDGET && { budget: v.EDGE_DNS_TOKEN_BUDGET }),
  };
}
