// One configuration's resolver context: the records (a store, with its live source), the
// forwarder, the zones and a new answer cache, built whole before anything serves from it. A
// reload builds the next generation beside the running one, reusing the parts whose options did
// not change, and the handlers switch to it by one reference (docs/architecture.md §8.12): no
// query is answered from a half-applied configuration, and no answer of the old one is served.
import { AnswerCache } from '../core/answer-cache.ts';
import type { ResolverContext } from '../core/resolver.ts';
import type { Store } from '../core/store.ts';
import { externalZone, kubernetesZone } from '../core/zone.ts';
import type { ForwardZones } from '../forward/forward-zones.ts';
import type { PoolOptions } from '../forward/upstream-pool.ts';
import type { ContainerConfig } from './container-config.ts';
import { forwarderFromConfig } from './container-forwarder.ts';
import type { ContainerLog } from './container-logs.ts';
import { containerRecords, type ContainerRecords, type RecordsHooks } from './container-records.ts';
import { anyForwarder, buildBlocks, type BuiltBlocks } from './container-blocks.ts';
import { loopMessage } from '../loop/loop-detector.ts';
import { podNamespaces } from './container-pod-namespaces.ts';
import { anySnapshots, clusterZoneNames } from './container-cluster-records.ts';

export interface Generation {
  readonly config: ContainerConfig;
  readonly records: ContainerRecords;
  readonly forward: ForwardZones | undefined;
  /** What the handlers resolve with. */
  readonly ctx: ResolverContext;
  /** The server blocks' chains, when the configuration has `servers` (a Corefile). */
  readonly blocks: BuiltBlocks | undefined;
}

/** What a next generation took over and what it built anew. */
export interface NextGeneration {
  generation: Generation;
  /** What changed, for the reload's log line. */
  changes: string[];
  /** Starts a new live source and waits for its first full list and publish (a reload). */
  ready(timeoutMs: number): Promise<void>;
  /** Closes what the old generation had and this one does not share (after the swap). */
  retireOld(): Promise<void>;
  /** Closes what was built for this one (the reload failed or was abandoned). */
  discard(): Promise<void>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Whether live sources (not snapshots) provide the records. */
export const isLive = (config: ContainerConfig) => !anySnapshots(config);

/**
 * The generation for `config`. With `previous`, its records are kept unless the `kubernetes` or
 * `snapshots` options changed (or `rereadSnapshots`: a signal re-reads the snapshot files), and
 * its forwarder unless `forward` or `cache` changed. Throws (a ConfigError, a bad snapshot) with
 * nothing left open.
 */
export async function buildGeneration(
  config: ContainerConfig,
  log: ContainerLog,
  previous?: Generation,
  o: {
    rereadSnapshots?: boolean;
    poolHooks?: Pick<PoolOptions, 'onReply'>;
    recordsHooks?: RecordsHooks;
  } = {},
): Promise<NextGeneration> {
  const changes: string[] = [];
  const p = previous?.config;
  const keepRecords =
    previous !== undefined &&
    same(p?.kubernetes, config.kubernetes) &&
    same(p?.snapshots, config.snapshots) &&
    same(p?.clusters, config.clusters) &&
    !(o.rereadSnapshots && !isLive(config));
  const keepForward =
    previous !== undefined && same(p?.forward, config.forward) && same(p?.cache, config.cache);
  const hooks = {
    // CoreDNS `errors`: the error `forward` returned, with the query's name and type.
    onFailure: (q: { name: string; type: string }, rcode: string, error: string) =>
      log.queryFailed?.(rcode === 'REFUSED' ? 5 : 2, q, error),
    // Metrics: each upstream reply's duration and rcode (container-observers.ts).
    ...o.poolHooks,
  };
  const forward = keepForward
    ? previous.forward
    : forwarderFromConfig(
        config.forward,
        config.cache,
        (l) => log.warn(l, 'forward'),
        undefined,
        hooks,
      );
  let records: ContainerRecords;
  try {
    records = keepRecords
      ? previous.records
      : await containerRecords(config, (l) => log.warn(l, 'kubernetes'), o.recordsHooks);
  } catch (error) {
    if (!keepForward) forward?.close();
    throw error;
  }
  if (previous && !keepRecords)
    changes.push(isLive(config) ? 'live source restarted' : 'records rebuilt');
  if (previous && !keepForward) changes.push(forward ? 'forwarder rebuilt' : 'forwarding off');
  const k8s = config.kubernetes;
  const zoneNames = clusterZoneNames(config);
  const zones = zoneNames.map((z) => kubernetesZone(z, k8s.ttl, k8s.nsAddresses));
  const ext = k8s.external;
  const external = (ext?.zones ?? []).map((z) =>
    externalZone(z, ext!.ttl, ext!.apex, k8s.nsAddresses),
  );
  const onError: ResolverContext['onError'] = (q, error) =>
    log.queryFailed?.(2, q, error instanceof Error ? error.message : String(error));
  let blocks: BuiltBlocks | undefined;
  try {
    blocks = config.servers
      ? await buildBlocks(config.servers, {
          kubernetes: () => ({ store: records.store, zones, onError }),
          external: () => ({ store: records.store, zones: external, onError }),
          forwarder: (f, c) =>
            forwarderFromConfig(f, c, (l) => log.warn(l, 'forward'), undefined, hooks),
          template: {
            // CoreDNS `errors`: a template that failed at query time answers SERVFAIL.
            onFailure: (f) =>
              log.warn(
                `template at ${f.file}:${f.line} (${f.zone} ${f.type}): ${f.error}`,
                'corefile',
              ),
            env: Object.fromEntries(
              Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
            ),
          },
          warn: (l) => log.warn(l, 'corefile'),
          autopath: { zones: zoneNames, namespaceOf: podNamespaces(records.store, zoneNames) },
          // CoreDNS's `loop` stops the process (log.Fatalf, exit 1): a loop serves nothing.
          loopFound: (loop) => {
            console.error(`[FATAL] ${loopMessage(loop, config.dns.listen)}`);
            process.exit(1);
          },
        })
      : undefined;
  } catch (error) {
    if (!keepForward) forward?.close();
    if (!keepRecords) await records.live?.stop();
    throw error;
  }
  const routed = blocks && anyForwarder(blocks.forwarders, blocks.loops);
  // `now` ages the forwarded answers the answer cache keeps (core/answer-cache.ts).
  const ctx = {
    store: blocks ? versioned(records.store, blocks.version) : records.store,
    answerCache: new AnswerCache(),
    now: Date.now,
    zones: [...zones, ...external],
    ...(blocks ? routed && { forward: routed } : forward && { forward }),
    ...(blocks && { blocks: blocks.chains }),
    ...(blocks?.after && { after: blocks.after }),
    ...(blocks?.udpSize && { udpSize: blocks.udpSize }),
    onError,
  } satisfies ResolverContext;
  const generation: Generation = { config, records, forward, ctx, blocks };
  const newLive = keepRecords ? undefined : records.live;
  return {
    generation,
    changes,
    ready: async (timeoutMs) => {
      if (!newLive) return;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`no complete list of ${newLive.server} within ${timeoutMs / 1000} s`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([newLive.start().then(() => newLive.publish()), late]);
      } finally {
        clearTimeout(timer);
      }
    },
    retireOld: async () => {
      if (!previous) return;
      previous.blocks?.close();
      if (!keepForward) previous.forward?.close();
      if (!keepRecords) await previous.records.live?.stop();
    },
    discard: async () => {
      blocks?.close();
      if (!keepForward) forward?.close();
      if (!keepRecords) await records.live?.stop();
    },
  };
}

/** `store` with a version that also moves with `more` (the Corefile's file and hosts sources):
 *  the answer cache keys on it (docs/architecture.md §6.9). */
function versioned(store: Store, more: () => number): Store {
  return {
    lookup: (name) => store.lookup(name),
    serial: () => store.serial(),
    get version() {
      return store.version + more();
    },
  };
}

/** For /ready: why this generation's records cannot be trusted yet, or undefined. */
export function generationNotReady(g: Generation): string | undefined {
  const { store, live } = g.records;
  return live?.notReady() ?? (store.synced ? undefined : 'records not loaded yet');
}
