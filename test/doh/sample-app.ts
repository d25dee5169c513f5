// The DoH app in-process over a MemoryStore holding the sample cluster (default build options),
// as the container fills it (functions/entry/container-loader.ts), for app.request tests.
import { readSnapshots } from '../../sync/snapshot/read.ts';
import { buildCluster } from '../../sync/records/cluster.ts';
import { defaultBuildOptions } from '../../sync/records/options.ts';
import { MemoryStore } from '../../functions/store/memory.ts';
import { kubernetesZone } from '../../functions/core/zone.ts';
import { resolve } from '../../functions/core/resolver.ts';
import { dohApp, type DohAppOptions } from '../../functions/doh/app.ts';
import type { Fetcher } from './run-cases.ts';

export const SAMPLE_CLUSTER = 'test/fixtures/sample-cluster.json';
export const LARGE_HEADLESS = 'test/fixtures/large-headless.json';

/** A memory store with these snapshots loaded; `loaded: false` leaves it unsynced (every lookup throws). */
export function sampleStore(files: string[] = [SAMPLE_CLUSTER], loaded = true): MemoryStore {
  const store = new MemoryStore();
  if (loaded)
    store.replaceAll(
      buildCluster(readSnapshots(files), defaultBuildOptions).values(),
      1_700_000_000,
    );
  return store;
}

/** The core resolver over `store`, as the entries wire it: resolve(query, 'https', ctx). */
export function resolverFor(store: MemoryStore): DohAppOptions['resolve'] {
  const ctx = {
    store,
    zones: defaultBuildOptions.zones.map((z) => kubernetesZone(z, defaultBuildOptions.ttl)),
  };
  return (query) => resolve(query, 'https', ctx);
}

/** A Fetcher over the app in-process (hono's app.request). */
export function appFetcher(options: Partial<DohAppOptions> & { store: MemoryStore }): Fetcher {
  const app = dohApp({ resolve: resolverFor(options.store), ...options });
  return async (request) => app.request(request);
}
