// Narrows one raw object from the API (a List item or a watch event's object) with its zod schema
// from sync/kube/objects.ts, and names it for log lines: `Service shop/web: spec.ports[0].port: ...`.
import type { z } from 'zod';
import { objectKey } from '../kube/objects.ts';

export type Narrowed<T> =
  | { ok: true; key: string; label: string; resourceVersion: string; object: T }
  | { ok: false; key?: string; label: string; problem: string };

interface RawMeta {
  name?: unknown;
  namespace?: unknown;
  resourceVersion?: unknown;
}

/**
 * A raw object's key (`objectKey`): `namespace/name` for namespaced kinds, `name` for
 * cluster-scoped ones; undefined when the name (or a namespaced kind's namespace) is missing.
 */
export function rawObjectKey(raw: unknown, namespaced: boolean): string | undefined {
  const meta = (raw as { metadata?: RawMeta } | null)?.metadata;
  if (typeof meta?.name !== 'string' || meta.name === '') return undefined;
  if (!namespaced) return objectKey({ metadata: { name: meta.name } });
  return typeof meta.namespace === 'string' && meta.namespace !== ''
    ? objectKey({ metadata: { name: meta.name, namespace: meta.namespace } })
    : undefined;
}

export function narrow<T>(
  kind: string,
  schema: z.ZodType<T>,
  namespaced: boolean,
  raw: unknown,
): Narrowed<T> {
  const key = rawObjectKey(raw, namespaced);
  const label = key ? `${kind} ${key}` : `${kind} (unnamed)`;
  const rv = (raw as { metadata?: RawMeta } | null)?.metadata?.resourceVersion;
  if (!key)
    return {
      ok: false,
      label,
      problem: `metadata: expected a name${namespaced ? ' and a namespace' : ''}`,
    };
  if (typeof rv !== 'string' || rv === '')
    return {
      ok: false,
      key,
      label,
      problem: 'metadata.resourceVersion: expected a non-empty string',
    };
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, key, label, resourceVersion: rv, object: result.data };
  const issue = result.error.issues[0];
  const path =
    issue?.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '') || '(object)';
  return { ok: false, key, label, problem: `${path}: ${issue?.message ?? 'invalid'}` };
}
