// The records of several clusters (docs/architecture.md §6.17): each cluster of the `clusters` key
// (and the `kubernetes` key's own, when it has a source) is built by its own builder, directly in
// its own zones, into its own memory store, from its own snapshots or live watch. The stores are
// read as one (container-cluster-store.ts); the live sources start, and are ready, together.
import { isLiveSource } from '../../common/config/source-choice.ts';
import { isReverseZone } from '../../sync/records/names.ts';
import type { WatchStatus } from '../../sync/watch/cluster-watch.ts';
import { ownClusterServed, type ClusterConfig } from './container-cluster-config.ts';
import { ClusterStores } from './container-cluster-store.ts';
import type { ContainerConfig } from './container-config.ts';
import type { ContainerRecords, LiveSource } from './container-records.ts';

type Config = Pick<ContainerConfig, 'snapshots' | 'kubernetes'> & { clusters: ClusterConfig[] };

/** One cluster's build: a name for log lines, the zones only it answers, and its input. */
export interface ClusterInput {
  name: string;
  zones: string[];
  input: Pick<ContainerConfig, 'snapshots' | 'kubernetes'>;
}

/** Every cluster in the order configured (the `kubernetes` key's first, when served). Each builds
 *  its forward zones and every reverse zone of the configuration. */
export function clusterInputs(config: Config): ClusterInput[] {
  const k8s = config.kubernetes;
  const reverse = [
    ...new Set([...k8s.zones, ...config.clusters.flatMap((c) => c.zones)].filter(isReverseZone)),
  ];
  const forward = (zones: string[]) => zones.filter((z) => !isReverseZone(z));
  const own: ClusterInput[] = ownClusterServed(config)
    ? [
        {
          name: forward(k8s.zones)[0] ?? 'kubernetes',
          zones: [...forward(k8s.zones), ...(k8s.external?.zones ?? [])],
          input: {
            snapshots: config.snapshots,
            kubernetes: { ...k8s, zones: [...forward(k8s.zones), ...reverse] },
          },
        },
      ]
    : [];
  // The others share the kubernetes options; k8s_external and multicluster stay the first's.
  const { external: _e, multicluster: _m, ...shared } = k8s;
  return [
    ...own,
    ...config.clusters.map((c) => ({
      name: c.name ?? forward(c.zones)[0]!,
      zones: forward(c.zones),
      input: {
        snapshots: c.snapshots,
        kubernetes: {
          ...shared,
          zones: [...forward(c.zones), ...reverse],
          inCluster: c.inCluster,
          kubeconfig: c.kubeconfig,
        },
      },
    })),
  ];
}

/** Every zone the clusters answer: their forward zones, then the shared reverse zones (one
 *  cluster: the `kubernetes` zones as written). */
export function clusterZoneNames(config: Config): string[] {
  if (config.clusters.length === 0) return config.kubernetes.zones;
  const inputs = clusterInputs(config);
  const reverse = inputs[0]?.input.kubernetes.zones.filter(isReverseZone) ?? [];
  return [
    ...inputs.flatMap((c) => c.input.kubernetes.zones.filter((z) => !isReverseZone(z))),
    ...reverse,
  ];
}

/** Whether a source of the configuration is snapshots (a signal reads them again). */
export const anySnapshots = (config: Config): boolean =>
  clusterInputs(config).some((c) => !isLiveSource(c.input.kubernetes));

/** Builds each cluster with `one` (container-records.ts), closing what was built on a failure. */
export async function clusterRecords(
  config: Config,
  one: (input: ClusterInput['input'], log: (line: string) => void) => Promise<ContainerRecords>,
  log: (line: string) => void,
): Promise<ContainerRecords> {
  const built: (ContainerRecords & { name: string; zones: string[] })[] = [];
  try {
    for (const c of clusterInputs(config))
      built.push({ ...(await one(c.input, (l) => log(`${c.name}: ${l}`))), ...c });
  } catch (error) {
    await Promise.allSettled(built.map((b) => b.live?.stop()));
    throw error;
  }
  const store = new ClusterStores(built.map((b) => ({ zones: b.zones, store: b.store })));
  const lives = built.flatMap((b) => (b.live ? [{ name: b.name, live: b.live }] : []));
  return {
    store,
    ...(lives.length > 0 && { live: clustersLive(lives) }),
    changedAt: () => Math.max(...built.map((b) => b.changedAt())),
  };
}

/** The live clusters as one source: each publishes as soon as its own first list is done, so a
 *  cluster that cannot sync keeps only its own zones SERVFAIL; start() resolves when all have. */
function clustersLive(lives: { name: string; live: LiveSource }[]): LiveSource {
  return {
    start: async () => {
      await Promise.all(lives.map(async ({ live }) => live.start().then(() => live.publish())));
    },
    publish: async () => undefined,
    notReady: () => {
      const why = lives.flatMap(({ name, live }) => {
        const reason = live.notReady();
        return reason === undefined ? [] : [`${name}: ${reason}`];
      });
      return why.length > 0 ? why.join('; ') : undefined;
    },
    stop: async () => {
      await Promise.all(lives.map(({ live }) => live.stop()));
    },
    get server() {
      return lives.map(({ live }) => live.server).join(', ');
    },
    watch: {
      isSynced: () => lives.every(({ live }) => live.watch.isSynced()),
      status: () => {
        const all: Record<string, WatchStatus> = {};
        for (const { name, live } of lives)
          for (const [kind, s] of Object.entries(live.watch.status())) all[`${name} ${kind}`] = s;
        return all;
      },
    },
  };
}

/**
 * The DoH scope's view of the clusters (docs/architecture.md §6.19): every zone served is a
 * Kubernetes zone (its `svc` and `pod` labels name namespaces), and a name in a cluster's zones
 * is that cluster's (its `name`; none when unnamed, so a `clusters` claim refuses it). Other
 * names are `own`'s (`doh.auth.cluster`).
 */
export function clusterScope(
  config: Pick<ContainerConfig, 'kubernetes'> & { clusters?: ClusterConfig[] },
  own: string | undefined,
): { kubernetesZones: string[]; clusterOf(name: string): string | undefined } {
  const clusters = config.clusters ?? [];
  const zones = clusters.flatMap((c) =>
    c.zones.filter((z) => !isReverseZone(z)).map((zone) => ({ zone, name: c.name })),
  );
  return {
    kubernetesZones: [...config.kubernetes.zones, ...zones.map((z) => z.zone)],
    clusterOf: (name) => {
      let best: { zone: string; name: string | undefined } | undefined;
      for (const z of zones)
        if (
          (name === z.zone || name.endsWith(`.${z.zone}`)) &&
          z.zone.length > (best?.zone.length ?? -1)
        )
          best = z;
      return best ? best.name : own;
    },
  };
}
