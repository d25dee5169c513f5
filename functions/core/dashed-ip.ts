// A dashed IP label (`10-244-1-5`, `fd00-10-244--5`) read as an address, the way CoreDNS reads pod
// names (plugin/kubernetes/kubernetes.go findPods): exactly three dashes and no '--' is IPv4,
// anything else is IPv6 with ':' for '-'.

export interface DashedIp {
  type: 'A' | 'AAAA';
  address: string;
}

const IPV4_OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => IPV4_OCTET.test(p));
}

export function isIPv6(text: string): boolean {
  if (text.length < 2 || text.length > 45 || !/^[0-9a-f:.]+$/i.test(text)) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const all = [...head, ...tail];
  let width = 0;
  for (let i = 0; i < all.length; i++) {
    const g = all[i] ?? '';
    if (i === all.length - 1 && g.includes('.')) {
      if (!isIPv4(g)) return false;
      width += 2;
    } else if (/^[0-9a-f]{1,4}$/i.test(g)) {
      width += 1;
    } else {
      return false;
    }
  }
  return halves.length === 2 ? width < 8 : width === 8;
}

export function parseDashedIp(label: string): DashedIp | undefined {
  const dashes = label.split('-').length - 1;
  if (dashes === 3 && !label.includes('--')) {
    const address = label.replaceAll('-', '.');
    return isIPv4(address) ? { type: 'A', address } : undefined;
  }
  const address = label.replaceAll('-', ':');
  return isIPv6(address) ? { type: 'AAAA', address } : undefined;
}
