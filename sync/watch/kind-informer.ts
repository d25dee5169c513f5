// The informer of one kind: client-node's ListWatch (list, then watch from the list's
// resourceVersion; re-list after a 410 Gone) over a GuardedWatch, plus what 1.4.x leaves to its
// user: restart with backoff after any other error (ListWatch stops on a failed list or
// a broken stream), a "first list done" signal (the wrapped list function), and a store of
// narrowed objects. That store is diffed against every full list here, so objects deleted while
// the watch was down disappear after the re-list whatever ListWatch's own cache does.
import {
  ListWatch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { z } from 'zod';
import { objectKey } from '../kube/objects.ts';
import { Backoff, type BackoffMs } from '../retry/backoff.ts';
import { GuardedWatch, type WatchEvent } from './guarded-watch.ts';
import { describeError, KubeApiError } from './kube-request.ts';
import { listCollection } from './list-collection.ts';
import { narrow, rawObjectKey } from './narrow.ts';

export type WatchedKind =
  'Namespace' | 'Service' | 'EndpointSlice' | 'Pod' | 'ServiceImport' | 'ServiceExport';

/** kube-apiserver ends a non-watch request after --request-timeout (default 1 min): a page never takes longer. */
const LIST_PAGE_TIMEOUT_MS = 60_000;

/** What ListWatch caches: the identity it keys on, around the narrowed object (absent in a DELETED event). */
interface Entry<T> extends KubernetesObject {
  metadata: { name: string; namespace?: string; resourceVersion: string };
  object?: T;
}

export interface KindInformerOptions<T> {
  kind: WatchedKind;
  /** The all-namespaces collection, e.g. `/api/v1/services`. */
  path: string;
  namespaced: boolean;
  schema: z.ZodType<T>;
  kubeConfig: KubeConfig;
  log: (line: string) => void;
  backoffMs: BackoffMs;
  idleTimeoutMs: number;
  pageSize: number;
  /** An object was added, changed or removed (by an event or by a re-list). */
  changed: (key: string) => void;
  /**
   * A CRD's kind that may not be installed: a 404 on its list counts as a list of nothing (the
   * first list is done, what was held goes), logged once, and the list is retried every
   * `backoffMs.max * 10` until the kind is served.
   */
  optional?: boolean;
}

export interface KindStatus {
  listed: boolean;
  connected: boolean;
  lastError?: string;
  /** An optional kind the API server does not serve (its CRD is not installed). */
  absent?: boolean;
}

export class KindInformer<T> {
  readonly objects = new Map<string, T>();
  /** Resolves when the first full list has been applied. */
  readonly firstList: Promise<void>;
  readonly #entries = new Map<string, Entry<T>>();
  readonly #status: KindStatus = { listed: false, connected: false };
  readonly #informer: ListWatch<Entry<T>>;
  readonly #watch: GuardedWatch;
  readonly #restarts: Backoff;
  readonly #label: string;
  readonly #listAbort = new AbortController();
  #resolveFirst!: () => void;
  #listedOnce = false;
  #restartTimer?: NodeJS.Timeout;
  #state: 'new' | 'running' | 'stopped' = 'new';
  readonly #o: KindInformerOptions<T>;

  constructor(o: KindInformerOptions<T>) {
    this.#o = o;
    this.#label = `watch ${o.kind}`;
    this.firstList = new Promise((resolve) => (this.#resolveFirst = resolve));
    this.#restarts = new Backoff(o.backoffMs);
    this.#watch = new GuardedWatch(o.kubeConfig, {
      label: this.#label,
      idleTimeoutMs: o.idleTimeoutMs,
      backoffMs: o.backoffMs,
      log: o.log,
      transform: (event) => this.#transform(event),
      connected: () => {
        this.#status.connected = true;
        this.#restarts.reset();
      },
      closed: () => (this.#status.connected = false),
    });
    this.#informer = new ListWatch<Entry<T>>(o.path, this.#watch, () => this.#list(), false);
    this.#informer.on('add', (entry) => this.#put(entry));
    this.#informer.on('update', (entry) => this.#put(entry));
    this.#informer.on('delete', (entry) => this.#drop(entry));
    this.#informer.on('error', (error) => this.#failed(error));
  }

  start(): void {
    if (this.#state !== 'new') return;
    this.#state = 'running';
    this.#run();
  }

  async stop(): Promise<void> {
    this.#state = 'stopped';
    clearTimeout(this.#restartTimer);
    this.#listAbort.abort();
    this.#watch.shutdown();
    await this.#informer.stop();
  }

  current(): KindStatus {
    return { ...this.#status };
  }

  #run(): void {
    this.#informer.start().catch((error: unknown) => this.#failed(error));
  }

  /** ListWatch's list function: one full (paged) list, applied to the store before it returns. */
  async #list(): Promise<KubernetesListObject<Entry<T>>> {
    try {
      const raw = await listCollection(this.#o.kubeConfig, this.#o.path, {
        pageSize: this.#o.pageSize,
        timeoutMs: LIST_PAGE_TIMEOUT_MS,
        signal: this.#listAbort.signal,
      });
      if (this.#state === 'stopped') throw new Error('stopped');
      const items = this.#replaceAll(raw.items);
      if (this.#status.absent) this.#o.log(`${this.#label}: the API serves the kind now`);
      delete this.#status.absent;
      this.#status.listed = true;
      delete this.#status.lastError;
      this.#restarts.reset();
      this.#o.log(
        `${this.#label}: listed ${items.length} objects at resourceVersion ${raw.resourceVersion}`,
      );
      if (!this.#listedOnce) {
        this.#listedOnce = true;
        this.#resolveFirst();
      }
      return { metadata: { resourceVersion: raw.resourceVersion }, items };
    } catch (error) {
      if (this.#o.optional && error instanceof KubeApiError && error.statusCode === 404) {
        this.#replaceAll([]);
        this.#status.listed = true;
        if (!this.#listedOnce) {
          this.#listedOnce = true;
          this.#resolveFirst();
        }
      } else this.#status.listed = false;
      throw error;
    }
  }

  /** ListWatch stopped after an error other than 410 Gone: start it again after a backoff. */
  #failed(error: unknown): void {
    if (this.#state !== 'running') return;
    this.#status.connected = false;
    this.#status.lastError = describeError(error);
    if (this.#o.optional && error instanceof KubeApiError && error.statusCode === 404) {
      const delay = this.#o.backoffMs.max * 10;
      if (!this.#status.absent)
        this.#o.log(
          `${this.#label}: not served (${this.#status.lastError}; is its CRD installed?): treated as none, listing again every ${delay} ms`,
        );
      this.#status.absent = true;
      this.#schedule(delay);
      return;
    }
    const delay = this.#restarts.next();
    this.#o.log(`${this.#label}: ${this.#status.lastError}; retrying in ${delay} ms`);
    this.#schedule(delay);
  }

  #schedule(delay: number): void {
    clearTimeout(this.#restartTimer);
    this.#restartTimer = setTimeout(() => {
      if (this.#state === 'running') this.#run();
    }, delay);
  }

  /** The store becomes exactly the list: missing objects are removed, new versions replace old ones. */
  #replaceAll(items: unknown[]): Entry<T>[] {
    const next = new Map<string, Entry<T>>();
    for (const raw of items) {
      const n = narrow(this.#o.kind, this.#o.schema, this.#o.namespaced, raw);
      if (n.ok) {
        next.set(n.key, this.#entry(raw, n.resourceVersion, n.object));
        continue;
      }
      const previous = n.key === undefined ? undefined : this.#entries.get(n.key);
      this.#reject(n.label, n.problem, previous !== undefined);
      if (previous && n.key) next.set(n.key, previous);
    }
    for (const [key, entry] of this.#entries) if (!next.has(key)) this.#drop(entry);
    for (const entry of next.values()) this.#put(entry);
    return [...next.values()];
  }

  /** Narrows a watch event's object; a rejected object keeps its previous version (or stays absent). */
  #transform(event: WatchEvent): WatchEvent | undefined {
    const raw = event.object as {
      metadata?: { resourceVersion?: unknown };
      code?: unknown;
      message?: unknown;
    };
    const rv =
      typeof raw.metadata?.resourceVersion === 'string' && raw.metadata.resourceVersion !== ''
        ? raw.metadata.resourceVersion
        : undefined;
    // A skipped event still moves the watch's resourceVersion on, as a bookmark does.
    const skip = rv
      ? { type: 'BOOKMARK', object: { metadata: { resourceVersion: rv } } }
      : undefined;
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED': {
        const n = narrow(this.#o.kind, this.#o.schema, this.#o.namespaced, raw);
        if (n.ok)
          return { type: event.type, object: this.#entry(raw, n.resourceVersion, n.object) };
        this.#reject(n.label, n.problem, n.key !== undefined && this.#entries.has(n.key));
        return skip;
      }
      case 'DELETED': {
        const key = rawObjectKey(raw, this.#o.namespaced);
        if (key === undefined || rv === undefined) {
          this.#o.log(
            `${this.#label}: ignored a DELETED event without name, namespace or resourceVersion`,
          );
          return skip;
        }
        return { type: 'DELETED', object: this.#entry(raw, rv, undefined) };
      }
      case 'BOOKMARK':
        return skip;
      case 'ERROR': {
        // Kubernetes API concepts: 410 Gone means the version is compacted; ListWatch re-lists.
        const code = typeof raw.code === 'number' ? raw.code : 0;
        this.#o.log(
          `${this.#label}: watch error ${code}${typeof raw.message === 'string' ? ` ${raw.message}` : ''}${code === 410 ? '; re-listing' : ''}`,
        );
        return { type: 'ERROR', object: { code } };
      }
      default:
        this.#o.log(`${this.#label}: ignored an event of type ${event.type}`);
        return skip;
    }
  }

  #reject(label: string, problem: string, hasPrevious: boolean): void {
    this.#o.log(
      `${this.#label}: ${label} rejected: ${problem}; ${hasPrevious ? 'keeping its previous version' : 'treated as absent'}`,
    );
  }

  #entry(raw: unknown, resourceVersion: string, object: T | undefined): Entry<T> {
    const meta = (raw as { metadata: { name: string; namespace?: string } }).metadata;
    return {
      metadata: {
        name: meta.name,
        namespace: this.#o.namespaced ? meta.namespace : undefined,
        resourceVersion,
      },
      object,
    };
  }

  #put(entry: Entry<T>): void {
    const key = objectKey(entry);
    if (
      entry.object === undefined ||
      this.#entries.get(key)?.metadata.resourceVersion === entry.metadata.resourceVersion
    )
      return;
    this.#entries.set(key, entry);
    this.objects.set(key, entry.object);
    this.#o.changed(key);
  }

  #drop(entry: Entry<T>): void {
    const key = objectKey(entry);
    if (!this.#entries.delete(key)) return;
    this.objects.delete(key);
    this.#o.changed(key);
  }
}
