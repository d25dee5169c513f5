// One record in presentation format (`owner TTL IN TYPE rdata`) as a dns-packet Answer, for the
// A, AAAA, CNAME, MX and TXT tables of the loadbalance tests.
import type { Answer } from 'dns-packet';

export function rr(line: string): Answer {
  const [owner, ttl, , type, ...d] = line.trim().split(/\s+/) as [
    string,
    string,
    string,
    string,
    ...string[],
  ];
  const base = { name: owner.replace(/\.$/, ''), ttl: Number(ttl), class: 'IN' as const };
  if (type === 'MX')
    return {
      ...base,
      type,
      data: { preference: Number(d[0]), exchange: d[1]!.replace(/\.$/, '') },
    };
  if (type === 'CNAME') return { ...base, type, data: d[0]!.replace(/\.$/, '') };
  if (type === 'TXT') return { ...base, type, data: d.join(' ') };
  return { ...base, type: type as 'A' | 'AAAA', data: d[0]! };
}
