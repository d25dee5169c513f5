// The verification keys of DoH JWTs as configured (docs/architecture.md §6.19): a JWK Set
// (RFC 7517 §5) or one JWK, and/or PEM public keys (SPKI, RFC 5280 §4.1.2.7), as text. Checked
// whole when read, so a bad key stops start-up naming it; imported (Web Crypto) at first use.

/** The algorithms a DoH JWT may use (RFC 7518 §3.1, RFC 8037 §3.1); `none` never. */
export const JWT_ALGORITHMS = ['HS256', 'RS256', 'ES256', 'EdDSA'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export interface JwtKeys {
  /** Public JWKs, selected by the token's `kid` and `alg` (RFC 7515 §4.1.4). */
  jwks?: { keys: Record<string, unknown>[] };
  /** HS256 secrets (`oct` JWKs, RFC 7518 §6.4), by `kid`. */
  secrets: { kid?: string; key: Uint8Array }[];
  /** PEM public keys (their DER), one per algorithm, the algorithm read from the key's type. */
  pems: { alg: JwtAlgorithm; der: Uint8Array }[];
}

/** SPKI algorithm identifiers (DER of the OIDs: RFC 3279 §2.3.1, RFC 5480 §2.1.1, RFC 8410 §3). */
const SPKI_TYPES: [string, JwtAlgorithm][] = [
  ['06092a864886f70d010101', 'RS256'], // rsaEncryption
  ['06072a8648ce3d020106082a8648ce3d030107', 'ES256'], // id-ecPublicKey, prime256v1
  ['06032b6570', 'EdDSA'], // id-Ed25519
];
const KTY_ALGS: Record<string, string[]> = {
  RSA: ['RS256'],
  EC: ['ES256'],
  OKP: ['EdDSA'],
  oct: ['HS256'],
};
const PEM = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----/g;

/** The keys in `text` (a JWK Set or a JWK, and/or PEM public keys), or what is wrong with them
 *  (never repeating key material). */
export function parseJwtKeys(text: string): JwtKeys | { problem: string } {
  const pems: JwtKeys['pems'] = [];
  for (const m of text.matchAll(PEM)) {
    let der: Uint8Array;
    try {
      der = Uint8Array.from(atob(m[1]!.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
    } catch {
      return { problem: `PEM key ${pems.length}: not base64` };
    }
    const hex = Array.from(der, (b) => b.toString(16).padStart(2, '0')).join('');
    const alg = SPKI_TYPES.find(([oid]) => hex.includes(oid))?.[1];
    if (!alg) return { problem: `PEM key ${pems.length}: not an RSA, P-256 or Ed25519 public key` };
    if (pems.some((p) => p.alg === alg))
      return { problem: `two PEM keys for ${alg}: give several keys as a JWK Set with "kid"s` };
    pems.push({ alg, der });
  }
  const json = text.replace(PEM, '').trim();
  if (json === '')
    return pems.length > 0
      ? { pems, secrets: [] }
      : { problem: 'expected a JWK Set {"keys": [...]}, a JWK, or PEM public keys' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { problem: 'not valid JSON (expected a JWK Set {"keys": [...]}, a JWK, or PEM)' };
  }
  const o = parsed as { keys?: unknown };
  const keys = Array.isArray(o?.keys) ? (o.keys as unknown[]) : [parsed];
  if (keys.length === 0) return { problem: 'a JWK Set without keys' };
  for (const [i, key] of keys.entries()) {
    const problem = jwkProblem(key);
    if (problem) return { problem: `key ${i}: ${problem}` };
  }
  const all = keys as Record<string, unknown>[];
  const secrets = all
    .filter((k) => k.kty === 'oct')
    .map((k) => ({
      ...(typeof k.kid === 'string' && { kid: k.kid }),
      key: Uint8Array.from(atob(String(k.k).replace(/-/g, '+').replace(/_/g, '/')), (c) =>
        c.charCodeAt(0),
      ),
    }));
  const pub = all.filter((k) => k.kty !== 'oct');
  return { ...(pub.length > 0 && { jwks: { keys: pub } }), pems, secrets };
}

function jwkProblem(key: unknown): string | undefined {
  if (typeof key !== 'object' || key === null) return 'not a JWK object';
  const k = key as Record<string, unknown>;
  const algs = KTY_ALGS[String(k.kty)];
  if (!algs) return 'kty must be RSA, EC, OKP or oct';
  if (k.alg !== undefined && !algs.includes(String(k.alg)))
    return `alg must be ${algs.join(' or ')} for kty ${String(k.kty)}`;
  if (k.kty === 'oct') {
    // RFC 7518 §3.2: an HS256 key of at least 256 bits.
    if (typeof k.k !== 'string' || !/^[A-Za-z0-9_-]{43,}$/.test(k.k))
      return 'an oct key needs "k": 32 bytes or more, base64url';
  } else if (k.d !== undefined) return 'a private key: give the public key only';
  if (k.kty === 'EC' && k.crv !== 'P-256') return 'crv must be P-256';
  if (k.kty === 'OKP' && k.crv !== 'Ed25519') return 'crv must be Ed25519';
  return undefined;
}
