// The coordination.k8s.io/v1 Lease as a lock record, through client-node's CoordinationV1Api (as
// client-go's resourcelock.LeaseLock): read it, create it, or replace it carrying the
// metadata.resourceVersion it was read at, so that a write on a stale version fails with 409
// Conflict (Kubernetes API concepts, "Resource versions"; create on an existing name: 409
// AlreadyExists). Every call is bounded by a timeout the elector sets per call: a hung request must
// not outlive the renew deadline.
import {
  CoordinationV1Api,
  Observable,
  V1MicroTime,
  type ConfigurationOptions,
  type KubeConfig,
  type V1Lease,
  type V1LeaseSpec,
} from '@kubernetes/client-node';

export interface LockRecord {
  /** '' when free (released). */
  holderIdentity: string;
  leaseDurationSeconds: number;
  leaseTransitions: number;
  acquireTime: V1MicroTime;
  renewTime: V1MicroTime;
}

/** The HTTP status of a failed API call, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

export class LeaseLock {
  readonly #api: CoordinationV1Api;
  readonly #options: ConfigurationOptions;

  constructor(
    kubeConfig: KubeConfig,
    readonly namespace: string,
    readonly name: string,
    /** Read at the start of every call. */
    timeoutMs: () => number,
  ) {
    this.#api = kubeConfig.makeApiClient(CoordinationV1Api);
    this.#options = {
      middleware: [
        {
          pre: (context) => {
            context.setSignal(AbortSignal.timeout(timeoutMs()));
            return new Observable(Promise.resolve(context));
          },
          post: (response) => new Observable(Promise.resolve(response)),
        },
      ],
      middlewareMergeStrategy: 'append',
    };
  }

  /** The Lease, or undefined when there is none (404). */
  async get(): Promise<V1Lease | undefined> {
    try {
      return await this.#api.readNamespacedLease(
        { namespace: this.namespace, name: this.name },
        this.#options,
      );
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Creates the Lease; 409 when another candidate created it first. */
  create(record: LockRecord): Promise<V1Lease> {
    const body: V1Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name, namespace: this.namespace },
      spec: record,
    };
    return this.#api.createNamespacedLease({ namespace: this.namespace, body }, this.#options);
  }

  /** Replaces the record of `read`, only if the Lease is still at `read`'s resourceVersion (else 409). */
  update(read: V1Lease, record: Partial<V1LeaseSpec>): Promise<V1Lease> {
    const body: V1Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        resourceVersion: read.metadata?.resourceVersion,
      },
      spec: { ...read.spec, ...record },
    };
    return this.#api.replaceNamespacedLease(
      { namespace: this.namespace, name: this.name, body },
      this.#options,
    );
  }
}

/** A MicroTime (RFC 3339 with microseconds, as the Lease fields need). */
export const microTime = (ms: number): V1MicroTime => new V1MicroTime(ms);
