// The `ratelimit` directive (not a CoreDNS built-in; the two shapes its external plugins take):
//   ratelimit LIMIT { whitelist ADDR... }                       (LIMIT queries a second per client)
//   ratelimit { per_second N  per_client N  whitelist CIDR... }
// plus edge-dns's `slip N` (rate-limiter.ts) and `max_clients N`; `allow` is `whitelist`.
import { directiveError, type Directive } from '../corefile/corefile.ts';
import { parseNetwork } from '../core/ip-network.ts';
import type { RateLimitConfig } from './ratelimit-config.ts';
import { rateLimitDefaults } from './rate-limiter.ts';

const MAX_RATE = 10_000_000;

const at = (o: Pick<Directive, 'file' | 'line'>, reason: string) =>
  directiveError({ file: o.file, line: o.line, name: 'ratelimit' }, reason);

/** A whole number from `min` to `max`, or an error at `o` naming `what`. */
function whole(o: Directive, what: string, text: string, min: number, max: number): number {
  const n = /^[0-9]{1,9}$/.test(text) ? Number(text) : NaN;
  if (n >= min && n <= max) return n;
  throw at(o, `${what}: '${text}' is not a whole number from ${min} to ${max}`);
}

/** The directive as the `ratelimit` key (ratelimit-config.ts): what a YAML file would hold. */
export function rateLimitFromDirective(d: Directive): RateLimitConfig {
  const [limit, extra] = d.args;
  if (extra !== undefined) throw at(d, `unexpected argument: ${extra}`);
  const out: RateLimitConfig = { allow: [], ...rateLimitDefaults };
  if (limit !== undefined) out.perClient = whole(d, 'LIMIT', limit, 1, MAX_RATE);
  for (const o of d.block ?? []) {
    const count = (min: number, max: number) => {
      if (o.args.length !== 1) throw at(o, `${o.name} takes one number`);
      return whole(o, o.name, o.args[0]!, min, max);
    };
    if (o.name === 'per_client') out.perClient = count(1, MAX_RATE);
    else if (o.name === 'per_second') out.perSecond = count(1, MAX_RATE);
    else if (o.name === 'slip') out.slip = count(0, 10);
    else if (o.name === 'max_clients') out.maxClients = count(1, MAX_RATE);
    else if (o.name === 'whitelist' || o.name === 'allow') {
      if (o.args.length === 0) throw at(o, `${o.name} needs at least one address or network`);
      for (const a of o.args) {
        if (!parseNetwork(a)) throw at(o, `${o.name}: '${a}' is not an address or CIDR network`);
        out.allow = [...out.allow, a];
      }
    } else
      throw at(
        o,
        `unknown property '${o.name}' (expected per_client, per_second, whitelist, slip, max_clients)`,
      );
  }
  if (out.perClient === undefined && out.perSecond === undefined)
    throw at(d, 'no limit: give LIMIT, per_client or per_second');
  return out;
}
