// A full LIST of one collection, in pages (Kubernetes API concepts, "Retrieving large results sets
// in chunks": `limit` + `continue`; every page of one list is served from the same snapshot, so the
// last page's metadata.resourceVersion is where the watch starts). Items stay raw JSON: narrowing
// happens in the informer, so odd Date or int-or-string conversions of client-node's typed
// deserializer never reach the schemas.
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, kubeGet, readBody, statusError } from './kube-request.ts';

export interface RawList {
  resourceVersion: string;
  items: unknown[];
}

export interface ListOptions {
  /** Items per page (`limit`). */
  pageSize: number;
  /** Abort a page that takes longer than this (a server that accepted but never answers). */
  timeoutMs: number;
  /** Aborts the whole list (informer stopped). */
  signal?: AbortSignal;
}

export async function listCollection(
  kubeConfig: KubeConfig,
  path: string,
  options: ListOptions,
): Promise<RawList> {
  const items: unknown[] = [];
  let token: string | undefined;
  for (;;) {
    const query: Record<string, string> = { limit: String(options.pageSize) };
    if (token) query.continue = token;
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let page: { metadata?: { resourceVersion?: unknown; continue?: unknown }; items?: unknown };
    try {
      const response = await kubeGet(kubeConfig, path, query, signal);
      // A 410 here means the continue token expired: the caller lists again from the start.
      if (response.statusCode !== 200) throw await statusError(`list ${path}`, response);
      page = JSON.parse(await readBody(response)) as typeof page;
    } catch (error) {
      if (timeout.aborted)
        throw new KubeApiError(`list ${path}: no answer within ${options.timeoutMs} ms`);
      throw error;
    }
    if (!Array.isArray(page.items))
      throw new KubeApiError(`list ${path}: the answer has no items array`);
    for (const item of page.items) items.push(item);
    const next = page.metadata?.continue;
    if (typeof next === 'string' && next !== '') {
      token = next;
      continue;
    }
    const rv = page.metadata?.resourceVersion;
    if (typeof rv !== 'string' || rv === '')
      throw new KubeApiError(`list ${path}: the answer has no metadata.resourceVersion`);
    return { resourceVersion: rv, items };
  }
}
