// Which namespace a client's address belongs to, for `autopath @kubernetes` (CoreDNS's
// kubernetes podWithIP): read from the `pods verified` records, `<dashed-ip>.<ns>.pod.<zone>`,
// in the memory store. The index is built on the first question after the records change (one
// pass over the names), not on every change.
import { dashedIp, parseIp } from '../../sync/records/ip.ts';
import type { MemoryStore } from '../store/memory.ts';

export function podNamespaces(
  store: Pick<MemoryStore, 'version' | 'names'>,
  zones: readonly string[],
): (address: string) => string | undefined {
  let built = -1;
  let byIp = new Map<string, string>();
  const suffixes = zones.map((z) => (z ? `.pod.${z}` : '.pod'));
  return (address) => {
    if (built !== store.version) {
      byIp = new Map();
      for (const name of store.names()) {
        const suffix = suffixes.find((s) => name.endsWith(s));
        if (!suffix) continue;
        const labels = name.slice(0, -suffix.length).split('.');
        if (labels.length === 2) byIp.set(labels[0]!, labels[1]!);
      }
      built = store.version;
    }
    // A v4 client on a dual-stack socket reads as ::ffff:a.b.c.d.
    const ip = parseIp(address.replace(/^::ffff:(?=\d+\.)/i, ''));
    return ip && byIp.get(dashedIp(ip));
  };
}
