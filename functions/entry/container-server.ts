// The running container: the current generation (records, forwarder, zones, answer cache) that
// every handler reads once per query, and the listeners. A reload builds the next generation and
// binds moved listeners beside the running ones, then switches both in one synchronous step and
// retires the old parts; any failure before the switch leaves the running configuration as it
// was (docs/architecture.md §8.12).
import type { ResolverContext } from '../core/resolver.ts';
import type { ContainerConfig } from './container-config.ts';
import {
  buildGeneration,
  generationNotReady,
  isLive,
  type Generation,
} from './container-generation.ts';
import { ContainerListeners } from './container-listener-set.ts';
import type { ContainerLog } from './container-logs.ts';
import type { ContainerObservers } from './container-observers.ts';
import { admissionFor, type Admission } from './container-admission.ts';

/** What queries pass before admit(): nothing checked. */
const OPEN = admissionFor(
  { ratelimit: { allow: [], slip: 0, maxClients: 1 }, servers: [] },
  undefined,
  0,
);

/** A reload waits this long for a restarted live source's first full list. */
const LIVE_RELOAD_TIMEOUT_MS = 120_000;

export interface ContainerServerOptions {
  log: ContainerLog;
  /** Readiness reasons from outside the records (lameduck). */
  notReady?: () => string | undefined;
  /** Query observers for the listeners, hooks for the forward pools (container-observers.ts). */
  observers?: ContainerObservers;
}

export class ContainerServer {
  #generation: Generation;
  /** Rate limit and ACL, switched with the generation; open until admit() (the warm-up). */
  #admission!: Admission;
  #admitting = false;
  readonly listeners: ContainerListeners;
  #closing = false;
  readonly #log: ContainerServerOptions['log'];
  #hooks: Pick<ContainerObservers, 'poolHooks' | 'recordsHooks'> = {
    poolHooks: {},
    recordsHooks: {},
  };

  private constructor(g: Generation, l: ContainerListeners, log: ContainerServerOptions['log']) {
    this.#generation = g;
    this.listeners = l;
    this.#log = log;
  }

  /**
   * Builds the records (a snapshot loaded; a live source created, not started) and the forwarder,
   * and binds the listeners. Throws with nothing left open.
   */
  static async start(config: ContainerConfig, o: ContainerServerOptions): Promise<ContainerServer> {
    const hooks = {
      poolHooks: o.observers?.poolHooks ?? {},
      recordsHooks: o.observers?.recordsHooks ?? {},
    };
    const next = await buildGeneration(config, o.log, undefined, hooks);
    let server: ContainerServer | undefined;
    const current = () => (server as ContainerServer).#generation.ctx;
    try {
      const admission = admissionFor(config, undefined, performance.now());
      const listeners = await ContainerListeners.open(config, {
        current: () => current(),
        readiness: { notReady: () => o.notReady?.() ?? server?.notReady() },
        log: o.log,
        observers: o.observers,
        admission: () => (server && server.#admitting ? server.#admission : OPEN),
      });
      server = new ContainerServer(next.generation, listeners, o.log);
      server.#admission = admission;
      server.#hooks = hooks;
      return server;
    } catch (error) {
      await next.discard();
      throw error;
    }
  }

  get generation(): Generation {
    return this.#generation;
  }

  get config(): ContainerConfig {
    return this.#generation.config;
  }

  /** From now on queries pass the rate limit and the ACL (after the start-up warm-up). */
  admit(): void {
    this.#admitting = true;
  }

  /** The rate limit and ACL queries pass now. */
  get admission(): Admission {
    return this.#admission;
  }

  /** The context handlers resolve with now. */
  get ctx(): ResolverContext {
    return this.#generation.ctx;
  }

  /** Why the records cannot be trusted yet, or undefined. */
  notReady(): string | undefined {
    return generationNotReady(this.#generation);
  }

  /**
   * Switches to `config`; resolves with what changed, or throws leaving everything as it was.
   * `signalled`: a signal asked for it, so snapshot files are read again even if unchanged.
   */
  async reload(config: ContainerConfig, signalled: boolean): Promise<string> {
    const old = this.#generation;
    const next = await buildGeneration(config, this.#log, old, {
      rereadSnapshots: signalled,
      ...this.#hooks,
    });
    let move;
    let admission: Admission;
    try {
      admission = admissionFor(config, this.#admission, performance.now());
      await next.ready(LIVE_RELOAD_TIMEOUT_MS);
      move = await this.listeners.move(config);
    } catch (error) {
      await next.discard();
      throw error;
    }
    if (this.#closing) {
      await Promise.allSettled([move.cancel(), next.discard()]);
      throw new Error('shutting down: reload abandoned');
    }
    // The switch: one reference for the resolver context, the listeners in the same turn.
    this.#generation = next.generation;
    this.#admission = admission;
    const retired = move.commit();
    void Promise.allSettled([retired, next.retireOld()]);
    const changes = [...next.changes, ...move.changes];
    if (!isLive(config)) changes.push(`${next.generation.records.store.size} names`);
    return changes.join(', ') || 'no change';
  }

  /** Stops accepting and finishes what is in flight (shutdown after lameduck). */
  async drain(timeoutMs: number): Promise<void> {
    this.#closing = true;
    await this.listeners.drain(timeoutMs);
  }

  /** Closes the rest: live source, forwarder, probes. */
  async close(): Promise<void> {
    this.#closing = true;
    const g = this.#generation;
    g.forward?.close();
    await Promise.allSettled([g.records.live?.stop(), this.listeners.closeProbes()]);
  }
}
