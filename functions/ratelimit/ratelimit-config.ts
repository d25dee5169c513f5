// The container's `ratelimit` block and its flags (rate-limiter.ts; the Corefile's `ratelimit`
// is ratelimit-corefile.ts): off unless a limit is set. Beside the code it configures
// (docs/architecture.md §8.2).
import * as z from 'zod';
import type { FlagRow } from '../../common/config/flag-table.ts';
import { parseNetwork, type IpNetwork } from '../core/ip-network.ts';
import { rateLimitDefaults, type RateLimitOptions } from './rate-limiter.ts';

const rate = z.number().int().min(1).max(10_000_000);
const network = z.string().refine((t) => parseNetwork(t) !== undefined, {
  message: 'expected an address or a CIDR network such as 10.0.0.0/8',
});

export const rateLimitSchema = z
  .object({
    /** Queries a second per client (an IPv4 address, an IPv6 /64). */
    perClient: rate.optional(),
    /** Queries a second for all clients together. */
    perSecond: rate.optional(),
    /** Networks never limited. */
    allow: z.array(network).default([]),
    /** UDP: every slip-th limited query gets a truncated reply, the others none (0: none). */
    slip: z.number().int().min(0).max(10).default(rateLimitDefaults.slip),
    maxClients: z.number().int().min(1).max(10_000_000).default(rateLimitDefaults.maxClients),
  })
  .strict()
  .prefault({});

export type RateLimitConfig = z.output<typeof rateLimitSchema>;

/** The limiter's options, or undefined when no limit is set (no limiter at all). */
export function rateLimitOptions(c: RateLimitConfig): RateLimitOptions | undefined {
  if (c.perClient === undefined && c.perSecond === undefined) return undefined;
  const allow = c.allow.map((t) => parseNetwork(t) as IpNetwork);
  return { ...c, allow };
}

export const rateLimitFlags: readonly FlagRow[] = [
  {
    flag: 'ratelimit-per-client',
    value: 'N',
    key: 'ratelimit.perClient',
    type: 'number',
    default: 'off',
    coredns: 'ratelimit { per_client }',
    help: 'queries a second from one client (IPv4 address, IPv6 /64); UDP over it: slip, TCP: REFUSED',
  },
  {
    flag: 'ratelimit-per-second',
    value: 'N',
    key: 'ratelimit.perSecond',
    type: 'number',
    default: 'off',
    coredns: 'ratelimit { per_second }',
    help: 'queries a second from all clients together',
  },
  {
    flag: 'ratelimit-allow',
    value: 'CIDR[,CIDR...]',
    key: 'ratelimit.allow',
    type: 'list',
    default: 'none',
    coredns: 'ratelimit { whitelist }',
    help: 'clients never limited',
  },
  {
    flag: 'ratelimit-slip',
    value: 'N',
    key: 'ratelimit.slip',
    type: 'number',
    default: String(rateLimitDefaults.slip),
    help: 'UDP over the limit: every Nth query gets a truncated reply (retry over TCP), the rest none; 0: none',
  },
];
