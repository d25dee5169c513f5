import type { Answer } from 'dns-packet';
import type { NameNode, RecordSet, RecordType } from './record.ts';

/** The records of one RRset in dns-packet form, owned by `owner` (the question's spelling). */
export function toAnswers(owner: string, set: RecordSet): Answer[] {
  const base = { name: owner, class: 'IN' as const, ttl: set.ttl };
  switch (set.type) {
    case 'SRV':
      return set.data.map((data) => ({ ...base, type: 'SRV' as const, data }));
    case 'TXT':
      return set.data.map((data) => ({ ...base, type: 'TXT' as const, data }));
    default:
      return set.data.map((data) => ({ ...base, type: set.type, data }) as Answer);
  }
}

export function findSet(node: NameNode, type: RecordType): RecordSet | undefined {
  for (const set of node.sets) if (set.type === type) return set;
  return undefined;
}
