// A dashed IP label (`10-244-1-5`, `fd00-10-244--5`) read as an address, the way CoreDNS reads pod
// names (plugin/kubernetes/kubernetes.go findPods): exactly three dashes and no '--' is IPv4,
// anything else is IPv6 with ':' for '-'.
import { parseIp } from './ip.ts';

export interface DashedIp {
  type: 'A' | 'AAAA';
  address: string;
}

export function parseDashedIp(label: string): DashedIp | undefined {
  const dashes = label.split('-').length - 1;
  const ip = parseIp(
    dashes === 3 && !label.includes('--') ? label.replaceAll('-', '.') : label.replaceAll('-', ':'),
  );
  return ip && { type: ip.family === 4 ? 'A' : 'AAAA', address: ip.text };
}
