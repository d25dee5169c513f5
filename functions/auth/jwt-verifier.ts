// DoH JWT verification (RFC 7519 §7.2) with jose: the signature by a configured key (JWKs, PEM,
// or a JWK Set fetched from a URL and cached), the algorithm from an allow-list (RFC 8725 §3.1:
// never `none`, never one the key was not made for), `exp` required, `nbf`, and `aud`/`iss` when
// configured (RFC 8725 §3.8, §3.9), with a small clock skew. The clock is the caller's.
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { JWT_ALGORITHMS, type JwtKeys } from './jwt-keys.ts';

export interface JwtVerifierOptions {
  keys?: JwtKeys;
  /** A JWK Set URL (RFC 7517 §5), fetched when a token names a key not yet seen, then cached. */
  jwksUrl?: string;
  /** Required values of `aud` (any of them) and `iss`, when set. */
  audience?: string;
  issuer?: string;
  /** Clock skew allowed on `exp` and `nbf`, seconds (default 30). */
  clockToleranceSeconds?: number;
  /** The JWK Set fetch's deadline (default 1.5 s) and how long a fetched set is kept (10 min). */
  jwksTimeoutMs?: number;
  jwksCacheMs?: number;
}

/** The verified claims, or undefined for a token that is not valid now. */
export type JwtVerify = (token: string, nowMs: number) => Promise<JWTPayload | undefined>;

export function jwtVerifier(o: JwtVerifierOptions): JwtVerify {
  const local = o.keys?.jwks && createLocalJWKSet(o.keys.jwks as never);
  const remote =
    o.jwksUrl !== undefined
      ? createRemoteJWKSet(new URL(o.jwksUrl), {
          timeoutDuration: o.jwksTimeoutMs ?? 1500,
          cacheMaxAge: o.jwksCacheMs ?? 600_000,
          cooldownDuration: 30_000,
        })
      : undefined;
  const pems = new Map(
    (o.keys?.pems ?? []).map((p) => [p.alg as string, () => importSpki(p.der, p.alg)]),
  );
  const imported = new Map<string, Promise<CryptoKey>>();
  const secrets = o.keys?.secrets ?? [];
  const getKey: JWTVerifyGetKey = async (header, token) => {
    // jose's key sets hold public keys only: HS256 secrets are looked up here, by kid.
    if (header.alg === 'HS256') {
      const only = secrets.length === 1 && header.kid === undefined ? secrets[0] : undefined;
      const secret = secrets.find((s) => s.kid === header.kid) ?? only;
      if (!secret) throw new Error('no HS256 key for this kid');
      return secret.key;
    }
    const pem = pems.get(header.alg);
    // A PEM key has no kid: it takes tokens without one, or every token of its algorithm when
    // there is no key set to look a kid up in.
    if (pem && (header.kid === undefined || (!local && !remote))) {
      let key = imported.get(header.alg);
      if (!key) imported.set(header.alg, (key = pem()));
      return key;
    }
    if (local && (!remote || hasKey(o.keys!.jwks!.keys, header.kid))) return local(header, token);
    if (remote) return remote(header, token);
    throw new Error(`no key for alg ${header.alg}`);
  };
  return async (token, nowMs) => {
    const options: JWTVerifyOptions = {
      algorithms: [...JWT_ALGORITHMS],
      requiredClaims: ['exp'],
      clockTolerance: o.clockToleranceSeconds ?? 30,
      currentDate: new Date(nowMs),
      ...(o.audience !== undefined && { audience: o.audience }),
      ...(o.issuer !== undefined && { issuer: o.issuer }),
    };
    try {
      return (await jwtVerify(token, getKey, options)).payload;
    } catch (error) {
      // Several keys match (no kid): each is tried, as jose's JWK Sets offer them.
      if ((error as { code?: string }).code !== 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') return undefined;
      for await (const key of error as AsyncIterable<CryptoKey>) {
        try {
          return (await jwtVerify(token, key, options)).payload;
        } catch {
          // the next key
        }
      }
      return undefined;
    }
  };
}

function hasKey(keys: Record<string, unknown>[], kid: string | undefined): boolean {
  return kid === undefined || keys.some((k) => k.kid === kid);
}

/** Web Crypto's parameters of each algorithm's SPKI key (RFC 7518 §3.3, §3.4; RFC 8037 §3.1). */
const SPKI_PARAMS = {
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  EdDSA: { name: 'Ed25519' },
} as const;

/** A PEM key's DER as a verification key: the one Web Crypto call jose's importSPKI would make. */
function importSpki(der: Uint8Array, alg: string): Promise<CryptoKey> {
  const params = SPKI_PARAMS[alg as keyof typeof SPKI_PARAMS];
  return crypto.subtle.importKey('spki', der as BufferSource, params, false, ['verify']);
}
