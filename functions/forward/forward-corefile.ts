// CoreDNS's `forward` and `cache` directives as this folder's config keys (forward-config.ts):
// the Corefile is one more way to write them (docs/architecture.md §8.2). Values stay text where
// the schema parses them (durations), so a bad one is reported once, by the schema.
import { directiveError, type Directive } from '../corefile/corefile.ts';

/** `forward FROM TO... { policy; max_concurrent; max_fails; health_check; tls; tls_servername;
 *  expire ... }`. */
export function forwardFromDirective(d: Directive): Record<string, unknown> {
  const [from, ...to] = d.args;
  if (from === undefined || to.length === 0) throw directiveError(d, 'expected FROM TO...');
  const out: Record<string, unknown> = { zone: from, to };
  for (const o of d.block ?? []) {
    const one = () => {
      if (o.args.length !== 1) throw directiveError(o, 'expected one value');
      return o.args[0]!;
    };
    switch (o.name) {
      case 'policy':
        out.policy = one();
        break;
      case 'max_concurrent':
        out.maxConcurrent = integer(o, one());
        break;
      case 'max_fails':
        out.maxFails = integer(o, one());
        break;
      case 'health_check':
        if (o.args.length < 1) throw directiveError(o, 'expected DURATION');
        out.healthCheckMs = o.args[0];
        break;
      case 'tls_servername':
        out.tlsServerName = one();
        break;
      case 'tls': {
        // CoreDNS's pkg/tls: no argument, the system's CAs; CA; CERT KEY; CERT KEY CA.
        const [a, b, c] = o.args;
        if (o.args.length > 3) throw directiveError(o, 'expected tls [CERT KEY] [CA]');
        out.tls =
          o.args.length === 1
            ? { ca: a }
            : { ...(b !== undefined && { cert: a, key: b }), ...(c !== undefined && { ca: c }) };
        break;
      }
      case 'expire': // tls:// keeps its own idle close (upstream-tls.ts); UDP and TCP do not reuse (RFC 5452)
      case 'prefer_udp':
        break;
      default:
        throw directiveError(o, `option not supported by edge-dns's forward`);
    }
  }
  return out;
}

/** `cache [TTL] [ZONES...] { success; denial; prefetch; serve_stale; servfail }`. */
export function cacheFromDirective(d: Directive): Record<string, unknown> {
  const out: Record<string, Record<string, unknown> | unknown> = {};
  const [ttl] = d.args;
  if (ttl !== undefined) {
    const seconds = integer(d, ttl);
    out.success = { maxTtl: seconds };
    out.denial = { maxTtl: seconds };
  }
  for (const o of d.block ?? []) {
    const [a, b, c] = o.args;
    switch (o.name) {
      case 'success':
      case 'denial': {
        if (a === undefined) throw directiveError(o, 'expected CAPACITY [TTL] [MINTTL]');
        const kind: Record<string, number> = { capacity: integer(o, a) };
        if (b !== undefined) kind.maxTtl = integer(o, b);
        if (c !== undefined) kind.minTtl = integer(o, c);
        out[o.name] = kind;
        break;
      }
      case 'prefetch': {
        if (a === undefined) throw directiveError(o, 'expected AMOUNT [DURATION] [PERCENTAGE%]');
        const prefetch: Record<string, unknown> = { amount: integer(o, a) };
        if (b !== undefined) prefetch.durationMs = b;
        if (c !== undefined) prefetch.percentage = integer(o, c.replace(/%$/, ''));
        out.prefetch = prefetch;
        break;
      }
      case 'serve_stale':
        out.serveStaleMs = a ?? '1h'; // CoreDNS's default DURATION
        break;
      case 'servfail':
        if (a === undefined) throw directiveError(o, 'expected DURATION');
        out.servfailMs = a;
        break;
      default:
        throw directiveError(o, `option not supported by edge-dns's cache`);
    }
  }
  // CoreDNS serves nothing stale unless told to (RFC 8767 is opt-in there).
  out.serveStaleMs ??= 0;
  return out;
}

function integer(d: Directive, text: string): number {
  if (!/^\d+$/.test(text)) throw directiveError(d, `expected a whole number, got '${text}'`);
  return Number(text);
}
