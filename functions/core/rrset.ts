import type { Answer } from 'dns-packet';
import type { NameNode, RecordSet, RecordType } from './record.ts';

/** The records of one RRset in dns-packet form, owned by `owner` (the question's spelling). */
export function toAnswers(owner: string, set: RecordSet): Answer[] {
  const data = set.data as unknown[];
  const out = new Array<Answer>(data.length);
  for (let i = 0; i < data.length; i++)
    out[i] = { name: owner, type: set.type, class: 'IN', ttl: set.ttl, data: data[i] } as Answer;
  return out;
}

export function findSet(node: NameNode, type: RecordType): RecordSet | undefined {
  for (const set of node.sets) if (set.type === type) return set;
  return undefined;
}
