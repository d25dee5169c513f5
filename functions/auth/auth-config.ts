// The container's DoH authorization: the `doh.auth` key and its `--doh-*` flags
// (docs/architecture.md §6.19, §8.2). Off (no auth, the container's DoH on loopback) unless
// tokens or JWT keys are set. The key file is read when the listener is built (jwt-keys.ts).
import * as z from 'zod';
import type { FlagRow } from '../../common/config/flag-table.ts';
import { parseTokenBudget } from './token-budget.ts';

const CLUSTER_ID = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const dohAuthSchema = z
  .object({
    /** Static bearer tokens (RFC 6750 §2.1), unrestricted. */
    tokens: z
      .array(
        z
          .string()
          .regex(
            /^[A-Za-z0-9._~+=-]{16,}$/,
            'expected a token of 16 or more of A-Z a-z 0-9 . _ ~ + = -',
          ),
      )
      .default([]),
    /** A file of JWT verification keys: a JWK Set, a JWK, or PEM public keys. */
    jwtKeys: z.string().min(1).optional(),
    /** A JWK Set URL, fetched with a deadline and cached. */
    jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** The `aud` tokens must name: required with JWT keys (RFC 8725 §3.9). */
    audience: z.string().min(1).optional(),
    issuer: z.string().min(1).optional(),
    /** A question outside a JWT's scope: REFUSED, or NXDOMAIN. */
    scopePolicy: z.enum(['refused', 'nxdomain']).default('refused'),
    /** `PER_SECOND [BURST]` per token, in this process. */
    tokenBudget: z
      .string()
      .refine((s) => typeof parseTokenBudget(s) !== 'string', {
        message: 'expected "PER_SECOND [BURST]", e.g. "10 20"',
      })
      .optional(),
    /** The cluster id a token's `clusters` claim is checked against (the sync's --cluster-id). */
    cluster: z.string().regex(CLUSTER_ID, 'expected a cluster id such as prod-eu').optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const jwt = a.jwtKeys !== undefined || a.jwksUrl !== undefined;
    if (jwt && a.audience === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['audience'],
        message: 'required with JWT keys (--doh-jwt-audience): the aud tokens must name',
      });
    if (!jwt && a.tokens.length === 0 && a.tokenBudget !== undefined)
      ctx.addIssue({ code: 'custom', path: ['tokenBudget'], message: 'needs tokens or JWT keys' });
  })
  .optional();

export type DohAuthConfig = NonNullable<z.output<typeof dohAuthSchema>>;

export const dohAuthFlags: readonly FlagRow[] = [
  {
    flag: 'doh-tokens',
    value: 'TOKEN[,TOKEN...]',
    key: 'doh.auth.tokens',
    type: 'list',
    default: 'none: no auth',
    help: 'DoH answers only these bearer tokens (and valid JWTs); 401 otherwise',
  },
  {
    flag: 'doh-jwt-keys',
    value: 'FILE',
    key: 'doh.auth.jwtKeys',
    type: 'string',
    help: 'JWT keys for DoH: a JWK Set, a JWK or PEM public keys (HS256 as an oct JWK)',
  },
  {
    flag: 'doh-jwks-url',
    value: 'URL',
    key: 'doh.auth.jwksUrl',
    type: 'string',
    help: 'JWK Set URL for DoH JWTs, fetched (1.5 s deadline) and cached 10 minutes',
  },
  {
    flag: 'doh-jwt-audience',
    value: 'AUD',
    key: 'doh.auth.audience',
    type: 'string',
    help: 'the aud DoH JWTs must name (required with JWT keys)',
  },
  {
    flag: 'doh-jwt-issuer',
    value: 'ISS',
    key: 'doh.auth.issuer',
    type: 'string',
    help: 'the iss DoH JWTs must name',
  },
  {
    flag: 'doh-scope-policy',
    value: 'refused|nxdomain',
    key: 'doh.auth.scopePolicy',
    type: 'string',
    default: 'refused',
    help: "what a question outside a JWT's zones, namespaces or clusters gets",
  },
  {
    flag: 'doh-token-budget',
    value: '"N [BURST]"',
    key: 'doh.auth.tokenBudget',
    type: 'string',
    default: 'off',
    help: 'requests a second per DoH token (JWT: per iss+sub); over it 429 with Retry-After',
  },
  {
    flag: 'doh-cluster',
    value: 'ID',
    key: 'doh.auth.cluster',
    type: 'string',
    default: 'none',
    help: "the cluster id a JWT's clusters claim must name (without it such a token sees nothing)",
  },
];
