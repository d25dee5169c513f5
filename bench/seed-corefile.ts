// bench:dns --corefile: a Corefile in the shape CoreDNS users run, written into the bench's temp
// dir beside the cluster snapshot: one `.` block where `template`, `hosts` (with fallthrough),
// `kubernetes` (from the snapshot), `file` and `cache` all sit in front of every query, so a
// Kubernetes name walks the whole chain (CoreDNS's order: template, hosts, kubernetes, file).
// Its UDP throughput on the cluster's queries is compared in turns with the Kubernetes-only
// server's (metrics-turns.ts).
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the Corefile and the files it names into `dir`; returns the Corefile's path. */
export function writeSeedCorefile(dir: string, root: string, snapshot: string): string {
  const hosts = join(dir, 'NodeHosts');
  const zone = join(dir, 'db.example.org');
  copyFileSync(join(root, 'infra/corefile/NodeHosts'), hosts);
  copyFileSync(join(root, 'infra/corefile/db.example.org'), zone);
  const corefile = join(dir, 'Corefile.seed');
  writeFileSync(
    corefile,
    `(common) {
  errors
  cache 30
  loadbalance
}

.:53 {
  import common
  template IN A ip.example.net {
    match "^ip-(?P<a>[0-9]+)-(?P<b>[0-9]+)-(?P<c>[0-9]+)-(?P<d>[0-9]+)[.]ip[.]example[.]net[.]$"
    answer "{{ .Name }} 60 IN A {{ .Group.a }}.{{ .Group.b }}.{{ .Group.c }}.{{ .Group.d }}"
    fallthrough
  }
  hosts ${hosts} {
    ttl 60
    fallthrough
  }
  kubernetes cluster.local in-addr.arpa ip6.arpa {
    snapshot ${snapshot}
    pods insecure
    fallthrough in-addr.arpa ip6.arpa
  }
  file ${zone} example.org
}
`,
  );
  return corefile;
}
