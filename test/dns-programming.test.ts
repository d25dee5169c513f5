// coredns_kubernetes_dns_programming_duration_seconds on the container's live source, end to end:
// a real process watching the test Kubernetes API server, EndpointSlices changed through the API
// with and without the `endpoints.kubernetes.io/last-change-trigger-time` annotation, /metrics
// scraped. As CoreDNS counts it (functions/metrics/README.md): one observation per published change
// of a headless Service's annotated slice, labelled `headless_with_selector`; the slices present at
// start, a ClusterIP Service's slice and a slice without the annotation count nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDnsAddresses } from './support/container.ts';
import { makeQuery, queryUdp, type Addr } from './support/dns-client.ts';
import { startEntry } from './support/entry-process.ts';
import { KubeApiServer } from './support/kube-api-server.ts';
import { endpointSliceObject, serviceObject, type Json } from './support/kube-objects.ts';
import { pollUntil } from './support/poll.ts';
import { scrapeMetrics } from './support/prometheus-text.ts';

const SERIES = 'coredns_kubernetes_dns_programming_duration_seconds';
const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';
const GUARD = { timeout: 60_000 };

/** A slice of `service` in namespace `lat` at `address`, with the trigger time when given. */
function slice(name: string, service: string, address: string, trigger?: Date): Json {
  const o = endpointSliceObject('lat', name, service, [address]);
  const metadata = o.metadata as Json;
  // Go's time.RFC3339Nano, as the EndpointSlice controller writes it.
  if (trigger) metadata.annotations = { [TRIGGER]: trigger.toISOString().replace('Z', '123456Z') };
  return o;
}

const addressesOf = async (dns: Addr, name: string) =>
  ((await queryUdp(dns, makeQuery(name, 'A'))).answers ?? [])
    .map((a) => (a as { data?: unknown }).data)
    .join(',');

test(
  'one headless_with_selector observation per published change of an annotated headless slice',
  GUARD,
  async (t) => {
    const api = await KubeApiServer.start();
    const headless = { clusterIP: 'None', clusterIPs: ['None'] };
    api.apply('Service', serviceObject('lat', 'h', headless));
    api.apply('Service', serviceObject('lat', 'bare', headless));
    api.apply(
      'Service',
      serviceObject('lat', 'vip', { clusterIP: '10.96.70.1', clusterIPs: ['10.96.70.1'] }),
    );
    // Present at start: the first list is not a change.
    api.apply('EndpointSlice', slice('h-1', 'h', '10.70.0.1', new Date(Date.now() - 60_000)));
    api.apply('EndpointSlice', slice('bare-1', 'bare', '10.70.1.1'));
    api.apply('EndpointSlice', slice('vip-1', 'vip', '10.70.2.1', new Date()));
    const kubeconfig = join(
      mkdtempSync(join(tmpdir(), 'edge-dns-programming-')),
      'kubeconfig.yaml',
    );
    api.writeKubeconfig(kubeconfig);
    const container = startEntry('functions/entry/container.ts', [
      ...['--kubeconfig', kubeconfig, '--dns', '127.0.0.1:0', '--metrics', '127.0.0.1:0'],
    ]);
    t.after(async () => {
      await container.stop();
      await api.close();
    });
    const metrics = /(http:\S+\/metrics)$/.exec(
      await container.waitFor(/^edge-dns metrics on /, { stream: 'stdout' }),
    )![1]!;
    const { udp } = parseDnsAddresses(
      await container.waitFor(/^edge-dns ready: /, { stream: 'stdout', timeoutMs: 30_000 }),
    )!;
    assert.equal(await addressesOf(udp, 'h.lat.svc.cluster.local'), '10.70.0.1');
    assert.equal((await scrapeMetrics(metrics)).value(`${SERIES}_count`), undefined, 'nothing yet');

    // Changes that do not count, then the one that does: published in that order (one watch stream,
    // rounds in sequence), so once it is observed the others have been published too.
    api.apply('EndpointSlice', slice('vip-1', 'vip', '10.70.2.2', new Date()));
    api.apply('EndpointSlice', slice('bare-1', 'bare', '10.70.1.2'));
    const trigger = new Date(Date.now() - 2_000);
    api.apply('EndpointSlice', slice('h-1', 'h', '10.70.0.2', trigger));

    const scrape = await pollUntil(
      () => scrapeMetrics(metrics),
      (s) => (s.value(`${SERIES}_count`) ?? 0) > 0,
      { deadlineMs: 15_000, everyMs: 50, what: `${SERIES}_count above 0` },
    );
    assert.equal(await addressesOf(udp, 'h.lat.svc.cluster.local'), '10.70.0.2');
    assert.equal(await addressesOf(udp, 'bare.lat.svc.cluster.local'), '10.70.1.2');
    assert.equal(scrape.value(`${SERIES}_count`), 1, 'exactly one observation');
    assert.equal(scrape.value(`${SERIES}_count`, { service_kind: 'headless_with_selector' }), 1);
    // Measured from the annotation: at least the 2 s it lies in the past.
    assert.ok(scrape.value(`${SERIES}_sum`)! >= 2, `sum ${scrape.value(`${SERIES}_sum`)}`);
    // CoreDNS's buckets: ExponentialBuckets(0.001, 2, 20).
    const bounds = scrape.samples
      .filter((s) => s.name === `${SERIES}_bucket`)
      .map((s) => s.labels.le);
    assert.deepEqual(bounds, [
      ...Array.from({ length: 20 }, (_, i) => String(0.001 * 2 ** i)),
      '+Inf',
    ]);
  },
);
