// Record sets from presentation-format lines, for tables in unit tests:
//   'web.shop.svc.cluster.local. 5 IN A 10.96.0.5'
//   'shop.svc.cluster.local. ENT'            (an empty non-terminal)
//   'shop.pod.cluster.local. SYNTH dashed-ip'
import type { NameNode, RecordSet } from '../../functions/core/record.ts';

export function nodesFromText(lines: string[]): NameNode[] {
  const nodes = new Map<string, NameNode>();
  const node = (owner: string): NameNode => {
    const name = owner.toLowerCase().replace(/\.$/, '');
    let n = nodes.get(name);
    if (!n) nodes.set(name, (n = { name, sets: [] }));
    return n;
  };
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    const [owner, second, third] = f;
    if (!owner) continue;
    if (second === 'ENT') {
      node(owner);
      continue;
    }
    if (second === 'SYNTH') {
      node(owner).synth = third as 'dashed-ip';
      continue;
    }
    const [, ttlText, , type, ...rdata] = f;
    const ttl = Number(ttlText);
    const n = node(owner);
    let set = n.sets.find((s) => s.type === type);
    if (!set) {
      set = { type, ttl, data: [] } as unknown as RecordSet;
      n.sets.push(set);
    }
    const name = (s: string) => s.toLowerCase().replace(/\.$/, '');
    if (type === 'SRV') {
      const [priority, weight, port, target] = rdata;
      (set.data as unknown[]).push({
        priority: Number(priority),
        weight: Number(weight),
        port: Number(port),
        target: name(target ?? ''),
      });
    } else if (type === 'TXT') {
      (set.data as unknown[]).push(rdata.map((s) => s.replace(/^"|"$/g, '')));
    } else if (type === 'CNAME' || type === 'PTR' || type === 'NS') {
      (set.data as unknown[]).push(name(rdata[0] ?? ''));
    } else {
      (set.data as unknown[]).push(rdata[0]);
    }
  }
  return [...nodes.values()];
}
