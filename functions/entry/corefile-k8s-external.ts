// CoreDNS's `k8s_external [ZONES...] { apex APEX; ttl TTL; fallthrough [ZONES...] }` as the
// `kubernetes.external` key (sync/config/kubernetes-config.ts): the records are built with the
// cluster's (sync/records/external.ts); the block answers them where the directive stands in the
// plugin order (container-blocks.ts, which reads `fallthrough`).
import { directiveError, type Directive } from '../corefile/corefile.ts';

export function externalFromDirective(
  d: Directive,
  blockZones: string[],
): { zones: string[]; ttl?: number; apex?: string } {
  const out: { zones: string[]; ttl?: number; apex?: string } = {
    zones: (d.args.length > 0 ? d.args : blockZones).map((z) => z.toLowerCase()),
  };
  for (const o of d.block ?? []) {
    const [first] = o.args;
    switch (o.name) {
      case 'ttl':
        if (o.args.length !== 1 || !/^\d+$/.test(first!) || Number(first) > 3600)
          throw directiveError(o, 'expected SECONDS in 0..3600');
        out.ttl = Number(first);
        break;
      case 'apex':
        if (o.args.length !== 1) throw directiveError(o, 'expected APEX (one DNS label)');
        out.apex = first!.toLowerCase();
        break;
      case 'fallthrough':
        break;
      case 'headless':
        throw directiveError(
          o,
          'option not supported by edge-dns: external names carry external and LoadBalancer addresses only',
        );
      default:
        throw directiveError(o, 'unknown option of k8s_external');
    }
  }
  return out;
}
