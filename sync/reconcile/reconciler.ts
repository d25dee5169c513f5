// Reconcile, don't react (docs/architecture.md §8.9): events mark units dirty; a round rebuilds
// those units, plans against what was published and applies the plan. Rounds never overlap.
// Names whose write failed stay pending and are retried with capped backoff; a periodic resync
// re-plans everything, so no lost event or failed write can leave the store wrong for long.
import type { NameNode } from '../../functions/core/record.ts';
import type { BuildOptions } from '../records/options.ts';
import type { ObjectKind } from '../kube/objects.ts';
import { plan, type Plan } from '../plan/plan.ts';
import type { ApplyResult, StoreWriter } from '../write/store-writer.ts';
import { ChangeLatency } from './change-latency.ts';
import { IncrementalBuild, type DesiredNodes } from './incremental-build.ts';
import type { ObjectSource } from './object-source.ts';
import { UnitIndex } from './unit-index.ts';
import type { UnitKey } from './units.ts';

export interface ReconcilerOptions {
  source: ObjectSource;
  build: BuildOptions;
  writer: StoreWriter;
  /** Content hash, as the writer's listOwned reports it. */
  hash: (node: NameNode) => string;
  log?: (line: string) => void;
  now?: () => number;
  /** Backoff for names whose write failed. */
  retryMs?: { initial: number; max: number };
  /** Full re-plan (and re-read of what the store holds) this often; 0 = never. */
  resyncMs?: number;
  /** Names per writer.apply() call (default 1000). */
  chunk?: number;
  /** Told of each round and of each published change (sync/metrics/); absent: nothing kept. */
  stats?: ReconcilerStats;
  /** Nodes published beside the cluster's: record items (sync/sources/, §5.6). */
  extra?: ExtraNodes;
}

/** Desired nodes from another source than the objects; `onChange` names the nodes that moved. */
export interface ExtraNodes extends Pick<DesiredNodes, 'get' | 'keys'> {
  onChange(listener: (names: readonly string[]) => void): () => void;
}

export interface ReconcilerStats {
  /** After each round: its figures, and whether it re-planned everything. */
  round(report: RoundReport, full: boolean): void;
  /**
   * A change published: milliseconds from its watch event to the round's end (change-latency.ts),
   * and the object that changed (`EndpointSlice/shop/web-abc`).
   */
  published(ms: number, id: string): void;
}

export interface RoundReport {
  objects: number;
  units: number;
  put: number;
  deleted: number;
  failed: number;
  ms: number;
}

export class Reconciler {
  readonly #o: ReconcilerOptions;
  readonly #index: UnitIndex;
  readonly #build: IncrementalBuild;
  readonly #latency: ChangeLatency | undefined;
  #published = new Map<string, string>();
  readonly #dirty = new Set<UnitKey>();
  readonly #retry = new Set<string>();
  #events = 0;
  #full = true;
  #rereadStore = true;
  #running: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #resyncTimer: ReturnType<typeof setInterval> | undefined;
  #retryDelay: number;
  #unsubscribe: (() => void) | undefined;
  #unsubscribeExtra: (() => void) | undefined;
  #stopped = false;
  #settledWaiters: (() => void)[] = [];
  /** The last round's figures; undefined before the first. */
  last: RoundReport | undefined;

  constructor(options: ReconcilerOptions) {
    this.#o = options;
    this.#index = new UnitIndex(options.source, options.build.namespaces);
    this.#build = new IncrementalBuild(options.build);
    this.#retryDelay = options.retryMs?.initial ?? 200;
    const stats = options.stats;
    this.#latency = stats && new ChangeLatency((ms, id) => stats.published(ms, id));
  }

  /** The desired records (what the builder says should exist). */
  get desired(): DesiredNodes {
    return this.#build.desired;
  }

  /** The cluster's nodes and the extra ones (their keys never meet: extra keys are internal). */
  readonly #planned: Pick<DesiredNodes, 'get' | 'keys'> = {
    get: (name) => this.#build.desired.get(name) ?? this.#o.extra?.get(name),
    keys: () => [...this.#build.desired.keys(), ...(this.#o.extra?.keys() ?? [])],
  };

  /** Starts watching the source; resolves after the first full round (store read, all published). */
  async start(): Promise<RoundReport> {
    this.#unsubscribe = this.#o.source.onChange((kind, key) => this.#mark(kind, key));
    // A changed extra node is re-planned next round, as a name whose write failed is.
    this.#unsubscribeExtra = this.#o.extra?.onChange((names) => {
      for (const name of names) this.#retry.add(name);
      this.#schedule();
    });
    if (this.#o.resyncMs) {
      this.#resyncTimer = setInterval(() => {
        this.#full = this.#rereadStore = true;
        this.#schedule();
      }, this.#o.resyncMs);
      this.#resyncTimer.unref?.();
    }
    await this.#runRound();
    return this.last as RoundReport;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#unsubscribeExtra?.();
    clearTimeout(this.#timer);
    clearTimeout(this.#retryTimer);
    clearInterval(this.#resyncTimer);
    await this.#running;
    this.#wakeSettled();
  }

  /** Resolves when no work is pending: every change seen so far is published (or stopped). */
  settled(): Promise<void> {
    if (this.#isSettled()) return Promise.resolve();
    return new Promise((resolve) => this.#settledWaiters.push(resolve));
  }

  #isSettled(): boolean {
    return (
      this.#stopped ||
      (!this.#running && !this.#full && this.#dirty.size === 0 && this.#retry.size === 0)
    );
  }

  #mark(kind: ObjectKind, key: string): void {
    this.#events++;
    // While the first full round is pending, reset() reads everything anyway.
    const units = this.#full ? undefined : this.#index.note(kind, key);
    if (units) for (const unit of units) this.#dirty.add(unit);
    this.#latency?.changed(`${kind}/${key}`, (this.#o.now ?? Date.now)(), units);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped || this.#timer || this.#running) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#runRound();
    }, 0);
  }

  async #runRound(): Promise<void> {
    if (this.#running) return this.#running;
    this.#running = this.#round().finally(() => {
      this.#running = undefined;
      if (this.#full || this.#dirty.size > 0) this.#schedule();
      else if (this.#isSettled()) this.#wakeSettled();
    });
    return this.#running;
  }

  async #round(): Promise<void> {
    const now = this.#o.now ?? Date.now;
    const started = now();
    const full = this.#full;
    const events = this.#events;
    this.#events = 0;
    if (this.#rereadStore) {
      this.#published = await this.#o.writer.listOwned();
      this.#rereadStore = false;
    }
    this.#full = false;
    const units = full ? this.#index.reset() : new Set(this.#dirty);
    this.#dirty.clear();
    const taken = this.#latency?.take();
    const built = new Map<UnitKey, Set<string>>();
    const touched = new Set<string>(this.#retry);
    this.#retry.clear();
    for (const unit of units) {
      const names = this.#build.setUnit(unit, this.#index.objects(unit));
      for (const name of names) touched.add(name);
      if (taken) built.set(unit, names);
    }
    const change = plan(this.#planned, this.#published, this.#o.hash, full ? undefined : touched);
    const result = await this.#apply(change);
    const puts = new Set(change.put);
    for (const name of result.written) {
      const hash = change.hashes.get(name);
      if (hash !== undefined) this.#published.set(name, hash);
      else this.#published.delete(name);
    }
    for (const f of result.failed) this.#retry.add(f.name);
    this.last = {
      objects: full ? this.#objectCount() : events,
      units: units.size,
      put: result.written.filter((n) => puts.has(n)).length,
      deleted: result.written.filter((n) => !puts.has(n)).length,
      failed: result.failed.length,
      ms: now() - started,
    };
    if (taken) {
      const failed = new Set(result.failed.map((f) => f.name));
      this.#latency!.settle(taken, (unit) => built.get(unit) ?? [], failed, now());
    }
    this.#o.stats?.round(this.last, full);
    if (full || change.put.length + change.delete.length > 0)
      this.#logRound(full, result.failed[0]?.error);
    this.#scheduleRetry(result.failed.length > 0);
  }

  /** Applies in chunks, so that the writer's encoded items and requests stay small. */
  async #apply(change: Plan): Promise<ApplyResult> {
    const out: ApplyResult = { written: [], failed: [] };
    const chunk = this.#o.chunk ?? 1000;
    for (let i = 0; i < change.put.length + change.delete.length; i += chunk) {
      const put = change.put.slice(i, i + chunk).flatMap((name) => this.#planned.get(name) ?? []);
      const del = change.delete.slice(
        Math.max(0, i - change.put.length),
        Math.max(0, i + chunk - change.put.length),
      );
      const part = await this.#o.writer.apply({ put, delete: del }).catch((error: Error) => ({
        written: [],
        failed: [...put.map((n) => n.name), ...del].map((name) => ({ name, error: error.message })),
      }));
      out.written.push(...part.written);
      out.failed.push(...part.failed);
    }
    return out;
  }

  #scheduleRetry(failed: boolean): void {
    const { initial = 200, max = 10_000 } = this.#o.retryMs ?? {};
    if (!failed) {
      this.#retryDelay = initial;
      return;
    }
    if (this.#stopped || this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#runRound();
    }, this.#retryDelay);
    this.#retryDelay = Math.min(max, this.#retryDelay * 2);
  }

  #objectCount(): number {
    const s = this.#o.source;
    return (
      s.objects('Namespace').size +
      s.objects('Service').size +
      s.objects('EndpointSlice').size +
      s.objects('Pod').size
    );
  }

  #logRound(full: boolean, error: string | undefined): void {
    const r = this.last as RoundReport;
    const kind = full ? 'full reconcile' : 'reconcile';
    const tail = r.failed > 0 ? `, ${r.failed} failed (retrying: ${error})` : '';
    this.#o.log?.(
      `${kind}: ${r.objects} objects seen, ${r.units} units built, ${r.put} items put, ${r.deleted} deleted${tail} in ${r.ms} ms`,
    );
  }

  #wakeSettled(): void {
    const waiters = this.#settledWaiters;
    this.#settledWaiters = [];
    for (const w of waiters) w();
  }
}
