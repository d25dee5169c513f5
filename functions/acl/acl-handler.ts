// The ACL in front of the resolver (acl-rules.ts), where CoreDNS runs `acl`: before `cache` and
// every zone plugin, on the server block that takes the query (the longest zone, as the resolver
// picks it, core/server-blocks.ts). Deciding on the wire question alone, a blocked or dropped
// query costs no lookup. block: REFUSED with Extended DNS Error 15 (Blocked); filter: an empty
// NOERROR with 17 (Filtered) (RFC 8914 §4.16, §4.18); drop: no reply.
import type { MessageHandler } from '../dns53/handler.ts';
import { questionReply } from '../dns53/question-reply.ts';
import { queryFields } from '../log/message-fields.ts';
import { isInZone } from '../core/zone.ts';
import { aclVerdict, type AclAction, type AclRule } from './acl-rules.ts';

/** A server block's zones and the rules of its `acl` directives. */
export interface AclBlock {
  zones: readonly string[];
  rules: readonly AclRule[];
}

export type AclCounts = Record<AclAction, Map<string, number>>;

export const emptyAclCounts = (): AclCounts => ({
  allow: new Map(),
  block: new Map(),
  filter: new Map(),
  drop: new Map(),
});

const EDE_BLOCKED = 15;
const EDE_FILTERED = 17;
const REFUSED = 5;

/** The rules of the block that takes `name` (canonical); none when no block with rules does. */
export function rulesFor(blocks: readonly AclBlock[], name: string): readonly AclRule[] {
  let best: AclBlock | undefined;
  let length = -1;
  for (const b of blocks)
    for (const z of b.zones)
      if (isInZone(name, z) && z.length > length) {
        best = b;
        length = z.length;
      }
  return best?.rules ?? [];
}

/**
 * What the ACL of `blocks` does with `message` from `address`: 'pass' (on to the resolver), a
 * reply (REFUSED or an empty NOERROR, with the EDE), or null (dropped). Counted in `counts`.
 */
export function aclAnswer(
  message: Buffer,
  blocks: readonly AclBlock[],
  address: string,
  counts: AclCounts,
): Buffer | null | 'pass' {
  const q = queryFields(message);
  // Not one readable question: the resolver answers it (FORMERR), as without an ACL.
  if (!q?.name || q.type === undefined) return 'pass';
  const name = q.name === '.' ? '' : q.name.slice(0, -1);
  const rules = rulesFor(blocks, name);
  if (rules.length === 0) return 'pass';
  const { action, zone } = aclVerdict(rules, name, q.type, address);
  counts[action].set(zone, (counts[action].get(zone) ?? 0) + 1);
  if (action === 'allow') return 'pass';
  if (action === 'drop') return null;
  return questionReply(
    message,
    action === 'block' ? { rcode: REFUSED, ede: EDE_BLOCKED } : { rcode: 0, ede: EDE_FILTERED },
  );
}

/** `handle` behind the ACL of `blocks`; `counts` by action and zone (the metrics). */
export function aclHandler(
  handle: MessageHandler,
  blocks: readonly AclBlock[],
  counts: AclCounts,
): MessageHandler {
  return (message, transport, client) => {
    const answer = aclAnswer(message, blocks, client.address, counts);
    return answer === 'pass' ? handle(message, transport, client) : answer;
  };
}
