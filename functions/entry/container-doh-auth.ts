// The container's DoH authorization from `doh.auth` (functions/auth/auth-config.ts,
// docs/architecture.md §6.19): the key file read and checked here, so a bad one stops start-up
// (or fails a reload) naming the key, the flag and the file.
import { readFileSync } from 'node:fs';
import { parseJwtKeys } from '../auth/jwt-keys.ts';
import { jwtVerifier } from '../auth/jwt-verifier.ts';
import { parseTokenBudget, TokenBudget } from '../auth/token-budget.ts';
import type { TokenAuthOptions } from '../doh/token-auth.ts';
import type { ContainerConfig } from './container-config.ts';
import { clusterScope } from './container-cluster-records.ts';

/** Undefined when neither tokens nor JWT keys are set: the DoH listener takes no token. */
export function containerDohAuth(
  config: Pick<ContainerConfig, 'doh' | 'kubernetes'> & Partial<Pick<ContainerConfig, 'clusters'>>,
  readText: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): TokenAuthOptions | undefined {
  const a = config.doh.auth;
  if (!a || (a.tokens.length === 0 && a.jwtKeys === undefined && a.jwksUrl === undefined))
    return undefined;
  let keys;
  if (a.jwtKeys !== undefined) {
    let text: string;
    try {
      text = readText(a.jwtKeys);
    } catch (e) {
      throw new Error(`doh.auth.jwtKeys (--doh-jwt-keys): ${a.jwtKeys}: ${(e as Error).message}`);
    }
    keys = parseJwtKeys(text);
    if ('problem' in keys)
      throw new Error(`doh.auth.jwtKeys (--doh-jwt-keys): ${a.jwtKeys}: ${keys.problem}`);
  }
  const budget = a.tokenBudget === undefined ? undefined : parseTokenBudget(a.tokenBudget);
  const external = (config.kubernetes as { external?: { zones: string[] } }).external;
  return {
    tokens: a.tokens,
    ...((keys || a.jwksUrl) && {
      jwt: jwtVerifier({
        ...(keys && { keys }),
        ...(a.jwksUrl !== undefined && { jwksUrl: a.jwksUrl }),
        ...(a.audience !== undefined && { audience: a.audience }),
        ...(a.issuer !== undefined && { issuer: a.issuer }),
      }),
    }),
    scope: {
      policy: a.scopePolicy,
      ...(external && { externalZones: external.zones }),
      // Its own cluster's names, and the cluster zones' (container-cluster-records.ts).
      ...clusterScope(config, a.cluster),
    },
    ...(typeof budget === 'object' && { budget: new TokenBudget(budget) }),
  };
}
