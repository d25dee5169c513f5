// NameNodes in presentation format (RFC 1035 §5.1), one RR a line, for tests and debug dumps.
// A node without records prints as `<name>. ; empty non-terminal`; a synthesizing node as
// `<name>. ; synth dashed-ip`.
import type { NameNode, RecordSet } from '../../functions/core/record.ts';

function fqdn(name: string): string {
  return `${name}.`;
}

function rdata(set: RecordSet): string[] {
  switch (set.type) {
    case 'SRV':
      return set.data.map((d) => `${d.priority} ${d.weight} ${d.port} ${fqdn(d.target)}`);
    case 'TXT':
      return set.data.map((strings) => strings.map((s) => JSON.stringify(s)).join(' '));
    case 'A':
    case 'AAAA':
      return set.data;
    default:
      return set.data.map(fqdn);
  }
}

/** Every RR of `nodes` as `<owner>. <ttl> IN <type> <rdata>`, in node, set and rdata order. */
export function presentation(nodes: Iterable<NameNode>): string[] {
  const lines: string[] = [];
  for (const node of nodes) {
    if (node.synth) lines.push(`${fqdn(node.name)} ; synth ${node.synth}`);
    else if (node.sets.length === 0) lines.push(`${fqdn(node.name)} ; empty non-terminal`);
    for (const set of node.sets) {
      for (const d of rdata(set)) lines.push(`${fqdn(node.name)} ${set.ttl} IN ${set.type} ${d}`);
    }
  }
  return lines;
}
