// Several `kubernetes` directives in a Corefile (docs/architecture.md §6.17): the first is the
// `kubernetes` and `snapshots` keys as before; each further one is one more cluster of the
// `clusters` key, with its own zones (its arguments, else its server block's) and its own source
// (`kubeconfig FILE`, `snapshot FILE...`, else in-cluster). The clusters share the first's
// options; a zone claimed twice, or inside another cluster's, is an error at the directive.
import { normalizeZoneName } from '../../common/config/zone-name.ts';
import { directiveError, type Directive } from '../corefile/corefile.ts';
import { clusterZoneProblems } from './container-cluster-config.ts';
import { kubernetesFromDirective } from './corefile-kubernetes.ts';

type Options = Record<string, unknown>;

/** The options a cluster shares with the first (everything but its zones and its source). */
const shared = ({ zones: _z, kubeconfig: _k, inCluster: _i, multicluster: _m, ...rest }: Options) =>
  JSON.stringify(rest);

const zonesOf = (k: Options) => (k.zones as string[]).map(normalizeZoneName);

export class CorefileClusters {
  #first: { d: Directive; k: Options; snapshots: string[] } | undefined;
  readonly #more: { d: Directive; k: Options; snapshots: string[] }[] = [];

  /** A kubernetes directive: the keys it sets (`kubernetes`, `snapshots`) when it is the first. */
  add(
    d: Directive,
    blockZones: string[],
    blockPlugins: readonly Directive[],
  ): ReturnType<typeof kubernetesFromDirective> | undefined {
    const before = blockPlugins.find((p) => p.name === 'kubernetes');
    if (before)
      throw directiveError(
        d,
        `a second kubernetes in this server block (the first is at ${before.file}:${before.line}): one cluster per block`,
      );
    const parsed = kubernetesFromDirective(d, blockZones);
    const one = { d, k: parsed.kubernetes, snapshots: parsed.snapshots ?? [] };
    const first = this.#first;
    if (!first) {
      this.#first = one;
      return parsed;
    }
    const at = `${first.d.file}:${first.d.line}`;
    if (one.k.multicluster)
      throw directiveError(d, `multicluster belongs to the first kubernetes (at ${at})`);
    if (shared(one.k) !== shared(first.k))
      throw directiveError(
        d,
        `options differ from the kubernetes at ${at}: the clusters share its options (only zones and the source may differ)`,
      );
    this.#more.push(one);
    const [problem] = clusterZoneProblems({
      kubernetes: { zones: zonesOf(first.k), inCluster: true },
      snapshots: first.snapshots,
      clusters: this.#more.map((c) => ({ zones: zonesOf(c.k) })),
    }).filter(([i]) => i === this.#more.length - 1);
    if (problem)
      throw directiveError(
        d,
        problem[2].replace(/the kubernetes key|clusters\[\d+\]/, (w) => this.#place(w)),
      );
    return undefined;
  }

  /** The `clusters` key, and the directive behind each entry. */
  clusters(): { value: Options[]; directives: Directive[] } {
    return {
      value: this.#more.map(({ k, snapshots }) => ({
        zones: k.zones,
        ...(k.kubeconfig !== undefined && { kubeconfig: k.kubeconfig }),
        ...(k.inCluster === true && { inCluster: true }),
        ...(snapshots.length > 0 && { snapshots }),
      })),
      directives: this.#more.map((c) => c.d),
    };
  }

  /** `the kubernetes key` / `clusters N` as the Corefile line that wrote it. */
  #place(what: string): string {
    const n = /\d+/.exec(what);
    const d = n ? this.#more[Number(n[0])]!.d : this.#first!.d;
    return `the kubernetes at ${d.file}:${d.line}`;
  }
}
