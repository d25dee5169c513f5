import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { objectSchemas, type ClusterObjects, type ObjectKind } from '../kube/objects.ts';

export type { ClusterObjects };

export const emptyObjects = (): ClusterObjects => ({
  namespaces: [],
  services: [],
  endpointSlices: [],
  pods: [],
});

/** A snapshot that cannot be used; the message names the file, the item and the field. */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

const collection: Record<ObjectKind, keyof ClusterObjects> = {
  Namespace: 'namespaces',
  Service: 'services',
  EndpointSlice: 'endpointSlices',
  Pod: 'pods',
  ServiceImport: 'serviceImports',
  ServiceExport: 'serviceExports',
};

/**
 * Reads `kubectl get ns,svc,endpointslices,pods -A -o json` (a v1 List), its `-o yaml` form, a
 * multi-document YAML stream or single objects, and adds what it holds to `into`. Kinds we do
 * not use are skipped and counted. Throws SnapshotError for anything malformed.
 */
export function parseSnapshot(
  text: string,
  file: string,
  into: ClusterObjects = emptyObjects(),
): { objects: ClusterObjects; skipped: number } {
  // kubectl's JSON is read by JSON.parse: the YAML parser takes ~50 times the time and memory.
  if (/^\s*[{[]/.test(text)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined; // not strict JSON (maybe YAML flow style): let the YAML parser say why
    }
    if (value !== undefined) return { objects: into, skipped: addItem(value, '', file, into) };
  }
  const documents = parseAllDocuments(text, { prettyErrors: false });
  if (!Array.isArray(documents)) throw new SnapshotError(`${file}: not a YAML or JSON document`);
  let skipped = 0;
  documents.forEach((doc, d) => {
    if (doc.errors.length > 0) {
      const error = doc.errors[0];
      const at = error?.linePos?.[0]
        ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})`
        : '';
      throw new SnapshotError(
        `${file}: not valid JSON or YAML${at}: ${error?.message.split('\n')[0]}`,
      );
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    skipped += addItem(value, documents.length > 1 ? `document ${d + 1}` : '', file, into);
  });
  return { objects: into, skipped };
}

function addItem(value: unknown, where: string, file: string, into: ClusterObjects): number {
  const at = (path: string) => [file, where, path].filter(Boolean).join(': ');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SnapshotError(
      `${at('')}: expected a Kubernetes object or a List, got ${describe(value)}`,
    );
  }
  const item = value as { kind?: unknown; items?: unknown };
  if (typeof item.kind !== 'string')
    throw new SnapshotError(
      `${at('kind')}: expected a string such as "List" or "Service", got ${describe(item.kind)}`,
    );
  if (item.kind === 'List' || item.kind.endsWith('List')) {
    if (!Array.isArray(item.items))
      throw new SnapshotError(
        `${at('items')}: expected an array of objects, got ${describe(item.items)}`,
      );
    let skipped = 0;
    item.items.forEach((child: unknown, i) => {
      skipped += addItem(child, [where, `items[${i}]`].filter(Boolean).join('.'), file, into);
    });
    return skipped;
  }
  if (!(item.kind in objectSchemas)) return 1;
  const kind = item.kind as ObjectKind;
  const result = (objectSchemas[kind] as z.ZodType).safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path =
      issue?.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '') ?? '';
    const meta = (value as { metadata?: { name?: unknown; namespace?: unknown } }).metadata;
    const label = `${kind}${typeof meta?.name === 'string' ? ` ${typeof meta.namespace === 'string' ? `${meta.namespace}/` : ''}${meta.name}` : ''}`;
    throw new SnapshotError(
      `${at(`${label}: ${path || '(object)'}`)}: ${issue?.message ?? 'invalid'}`,
    );
  }
  ((into[collection[kind]] ??= []) as unknown[]).push(result.data);
  return 0;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `"${value.slice(0, 40)}"` : typeof value;
}
