// The DoH app's authorization at the edge (docs/architecture.md §6.19) from the configuration:
// a JWT verifier, the scope check's view of this instance (its Kubernetes zones, the cluster
// answering each name) and a budget per token held by this instance or isolate.
import { jwtVerifier } from '../auth/jwt-verifier.ts';
import { TokenBudget } from '../auth/token-budget.ts';
import { underZone } from '../auth/token-scope.ts';
import type { TokenAuthOptions } from '../doh/token-auth.ts';
import type { EdgeConfig } from './edge-config.ts';

/** How long the JWK Set fetch may take: inside the request's deadline (edge-deadline.ts). */
const JWKS_TIMEOUT_MS = 1500;

export function edgeDohAuth(config: EdgeConfig): TokenAuthOptions | 'public' {
  const auth = config.auth;
  if (auth === 'public') return 'public';
  const clusterZones = config.clusterZones ?? [];
  const ownCluster = config.ownDomain ? config.cluster : undefined;
  return {
    tokens: auth.tokens,
    ...(auth.jwt && { jwt: jwtVerifier({ ...auth.jwt, jwksTimeoutMs: JWKS_TIMEOUT_MS }) }),
    scope: {
      policy: auth.jwt?.scopePolicy ?? 'refused',
      kubernetesZones: [
        ...(config.ownDomain ? config.kubernetes.zones : []),
        ...clusterZones.map((c) => c.zone),
      ],
      // A cluster zone's names are its cluster's; the rest are this edge's own (or none).
      clusterOf: (name) => {
        let best: { zone: string; cluster: string } | undefined;
        for (const c of clusterZones)
          if (underZone(name, c.zone) && c.zone.length >= (best?.zone.length ?? -1)) best = c;
        return best?.cluster ?? ownCluster;
      },
    },
    ...(auth.budget && { budget: new TokenBudget(auth.budget) }),
  };
}
