// What every port-53 query passes before the resolver (docs/architecture.md §7): the rate limit
// (functions/ratelimit/; the `ratelimit` key or Corefile directive) and the Corefile's `acl`
// (functions/acl/), in that order, so that a flood costs neither an ACL walk nor a lookup. DoH
// takes the same ACL by the HTTP connection's peer (`aclAdmitted`), after its own rate limit. Built
// for each generation; a reload keeps the limiter (and every client's budget) while its settings
// stay, and the ACL's counts always.
import { aclFromDirective } from '../acl/acl-corefile.ts';
import { aclAnswer, emptyAclCounts, type AclBlock, type AclCounts } from '../acl/acl-handler.ts';
import { canonicalName } from '../core/record.ts';
import { limitedAnswer } from '../ratelimit/limited-handler.ts';
import { rateLimitOptions } from '../ratelimit/ratelimit-config.ts';
import { RateLimiter } from '../ratelimit/rate-limiter.ts';
import type { ContainerConfig } from './container-config.ts';

export interface Admission {
  readonly limiter?: RateLimiter;
  /** The limiter's settings as written, to tell whether a reload changed them. */
  readonly limits: string;
  readonly acl: readonly AclBlock[];
  readonly aclCounts: AclCounts;
}

/** The admission of `config`, reusing what `previous` has that did not change. */
export function admissionFor(
  config: Pick<ContainerConfig, 'ratelimit' | 'servers'>,
  previous: Admission | undefined,
  nowMs: number,
): Admission {
  const limits = JSON.stringify(config.ratelimit);
  const options = rateLimitOptions(config.ratelimit);
  const limiter =
    previous && previous.limits === limits
      ? previous.limiter
      : options && new RateLimiter(options, nowMs, previous?.limiter?.counts);
  const acl: AclBlock[] = [];
  for (const server of config.servers ?? []) {
    const zones = server.zones.map(canonicalName);
    const rules = server.plugins
      .filter((d) => d.name === 'acl')
      .map((d) => aclFromDirective(d, zones));
    if (rules.length > 0) acl.push({ zones, rules });
  }
  return { limiter, limits, acl, aclCounts: previous?.aclCounts ?? emptyAclCounts() };
}

/** What `a` does with a query: 'pass' (on to the resolver), a reply, or null (nothing). */
export function admitted(
  a: Admission,
  message: Buffer,
  transport: 'udp' | 'tcp',
  address: string,
  nowMs: number,
): Buffer | null | 'pass' {
  if (a.limiter) {
    const limited = limitedAnswer(message, transport, a.limiter, address, nowMs);
    if (limited !== 'pass') return limited;
  }
  return aclAdmitted(a, message, address);
}

/** What the ACL alone does with a query from `address`: 'pass', a reply, or null (dropped). */
export function aclAdmitted(
  a: Admission,
  message: Uint8Array,
  address: string,
): Buffer | null | 'pass' {
  if (a.acl.length === 0) return 'pass';
  const wire = Buffer.isBuffer(message)
    ? message
    : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  return aclAnswer(wire, a.acl, address, a.aclCounts);
}
