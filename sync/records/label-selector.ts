// Kubernetes label selectors in their string form (apimachinery labels.Parse), as CoreDNS's
// `kubernetes { labels EXPRESSION }` takes them: requirements joined by commas, each `key`,
// `!key`, `key=value`, `key==value`, `key!=value`, `key in (v1,v2)` or `key notin (v1,v2)`; all
// must hold. Pure.

export type Requirement =
  { key: string; op: 'exists' | '!exists' } | { key: string; op: 'in' | 'notin'; values: string[] };

export type LabelSelector = Requirement[];

// apimachinery: a qualified name, optionally prefixed by a DNS subdomain and '/'.
const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** Parses a selector; throws an Error saying what is wrong and where. */
export function parseLabelSelector(text: string): LabelSelector {
  const out: LabelSelector = [];
  for (const part of splitTopLevel(text)) {
    const p = part.trim();
    if (p === '') throw new Error(`empty requirement in "${text}"`);
    const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(p);
    if (set) {
      const values = set[3]!.split(',').map((v) => v.trim());
      out.push({ key: key(set[1]!), op: set[2] as 'in' | 'notin', values: values.map(value) });
      continue;
    }
    const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(p);
    if (eq) {
      const op = eq[2] === '!=' ? 'notin' : 'in';
      out.push({ key: key(eq[1]!), op, values: [value(eq[3]!)] });
      continue;
    }
    if (p.startsWith('!')) out.push({ key: key(p.slice(1).trim()), op: '!exists' });
    else out.push({ key: key(p), op: 'exists' });
  }
  return out;
}

/** Whether `labels` satisfy every requirement (no labels: an empty map). */
export function selects(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>>,
): boolean {
  return selector.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key]!);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]!);
    }
  });
}

function key(k: string): string {
  if (!KEY.test(k)) throw new Error(`"${k}" is not a label key`);
  return k;
}

function value(v: string): string {
  if (!VALUE.test(v)) throw new Error(`"${v}" is not a label value`);
  return v;
}

/** Splits on commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
