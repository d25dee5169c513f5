// Leader election on a coordination.k8s.io/v1 Lease (the record: lease-lock.ts), as client-go's
// leaderelection package does it (k8s.io/client-go/tools/leaderelection): a candidate takes the Lease when it is free, released,
// or unchanged for leaseDurationSeconds as observed on the candidate's own clock (no trust in the
// other replica's clock); the holder renews every retryPeriod and steps down when it cannot renew
// for renewDeadline, or at once when it sees another holder. Every take and renew is a replace
// carrying the read metadata.resourceVersion, so of two candidates racing only one write lands
// (the other gets 409 Conflict, or 409 AlreadyExists on create): two electors never lead at once.
// `term` is spec.leaseTransitions after taking the Lease, bumped on every new leadership: the
// DynamoDB writer uses it as a fencing token.
import type { KubeConfig, V1Lease } from '@kubernetes/client-node';
import { describeError } from './kube-request.ts';
import { LeaseLock, microTime, statusOf } from './lease-lock.ts';

export interface LeaderElectionTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LeaderElectionOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  name: string;
  /** Unique per process (pod name, or pod name plus a random suffix). */
  identity: string;
  leaseDurationSec?: number;
  renewDeadlineSec?: number;
  retryPeriodSec?: number;
  /** Milliseconds since the epoch (tests move it by hand). */
  clock?: () => number;
  timers?: LeaderElectionTimers;
  log?: (line: string) => void;
  /** Told when this replica starts (true) and stops (false) leading (sync/metrics/). */
  stats?: { leading(leader: boolean): void };
}

export interface LeaderCallbacks {
  /** Not awaited: renewals go on while it runs. */
  onStartedLeading(term: number): void | Promise<void>;
  /** Awaited before the Lease is released or taken again: stop writing here. */
  onStoppedLeading(): void | Promise<void>;
}

const realTimers: LeaderElectionTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class LeaderElection {
  readonly #lock: LeaseLock;
  readonly #clock: () => number;
  readonly #timers: LeaderElectionTimers;
  readonly #log: (line: string) => void;
  readonly #durationSec: number;
  readonly #renewDeadlineMs: number;
  readonly #retryMs: number;
  readonly #label: string;
  /** The shortest call timeout: a third of leaseDuration - renewDeadline - retryPeriod. */
  readonly #marginCallMs: number;
  /** Our identity holds the Lease as of our last successful write. */
  #held = false;
  #leading = false;
  #currentTerm: number | undefined;
  #lastLease: V1Lease | undefined;
  #observed: { rv: string; at: number; holder: string } | undefined;
  #lastRenew = 0;
  #running: Promise<void> | undefined;
  #stopping = false;
  #release = true;
  #wake: (() => void) | undefined;
  readonly #o: LeaderElectionOptions;

  constructor(o: LeaderElectionOptions) {
    this.#o = o;
    this.#durationSec = o.leaseDurationSec ?? 15;
    this.#renewDeadlineMs = (o.renewDeadlineSec ?? 10) * 1000;
    this.#retryMs = (o.retryPeriodSec ?? 2) * 1000;
    if (!(
      this.#durationSec * 1000 > this.#renewDeadlineMs &&
      this.#renewDeadlineMs > this.#retryMs &&
      this.#retryMs > 0
    )) {
      throw new Error(
        `leader election: need leaseDurationSec > renewDeadlineSec > retryPeriodSec > 0, got ${this.#durationSec}, ${this.#renewDeadlineMs / 1000}, ${this.#retryMs / 1000}`,
      );
    }
    if (!o.identity) throw new Error('leader election: identity must not be empty');
    this.#clock = o.clock ?? Date.now;
    this.#timers = o.timers ?? realTimers;
    this.#log = o.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.#label = `lease ${o.namespace}/${o.name}`;
    // A leader steps down when a round ends past renewDeadline after its last renewal, and the
    // others take the Lease leaseDuration after they saw that renewal: a leader's calls end by its
    // renew deadline, or within a third of the margin once past it (two calls per round), so it
    // stops writing before the Lease can expire for the others. A candidate risks nothing by
    // waiting: its calls may take up to the renew deadline (client-go bounds a renewal by
    // RenewDeadline alone), so a slow API server delays an election instead of preventing it.
    this.#marginCallMs = Math.max(
      100,
      Math.min(5000, (this.#durationSec * 1000 - this.#renewDeadlineMs - this.#retryMs) / 3),
    );
    this.#lock = new LeaseLock(o.kubeConfig, o.namespace, o.name, () => this.#callTimeoutMs());
  }

  #callTimeoutMs(): number {
    if (!this.#leading) return this.#renewDeadlineMs;
    const left = this.#lastRenew + this.#renewDeadlineMs - this.#clock();
    return Math.max(this.#marginCallMs, left);
  }

  /** The fencing token of the current leadership; undefined when not leading. */
  get term(): number | undefined {
    return this.#leading ? this.#currentTerm : undefined;
  }

  isLeader(): boolean {
    return this.#leading;
  }

  /** Campaigns, leads, and campaigns again after losing the Lease, until stop(). */
  run(callbacks: LeaderCallbacks): Promise<void> {
    if (this.#running) throw new Error(`${this.#label}: the election already runs`);
    this.#stopping = false;
    this.#running = this.#loop(callbacks).finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Stops campaigning; a leader calls onStoppedLeading, then releases the Lease so another replica
   * takes over at its next retry. `release: false` leaves the Lease to expire, as a crash would. */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.#release = options.release ?? true;
    this.#stopping = true;
    this.#wake?.();
    await this.#running;
  }

  /** One round: read the Lease, then create, take or renew it. True when we hold it afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const identity = this.#o.identity;
    const now = this.#clock();
    const stamp = microTime(now);
    const durationSeconds = Math.ceil(this.#durationSec); // an int32 in the API
    try {
      const lease = await this.#lock.get();
      if (!lease)
        return this.#took(
          await this.#lock.create({
            holderIdentity: identity,
            leaseDurationSeconds: durationSeconds,
            acquireTime: stamp,
            renewTime: stamp,
            leaseTransitions: 0,
          }),
          now,
          true,
        );
      const spec = lease.spec ?? {};
      const holder = spec.holderIdentity ?? '';
      const rv = lease.metadata?.resourceVersion ?? '';
      // Expiry is judged on our clock, from when we first saw this version of the record.
      if (this.#observed?.rv !== rv) this.#observed = { rv, at: now, holder };
      const durationMs = (spec.leaseDurationSeconds ?? this.#durationSec) * 1000;
      if (holder !== '' && holder !== identity && this.#observed.at + durationMs > now) {
        this.#held = false;
        return false;
      }
      // A new leadership (another holder before, or ours lapsed) is a new term.
      const taking = holder !== identity || !this.#held;
      const transitions = spec.leaseTransitions ?? 0;
      const written = await this.#lock.update(lease, {
        holderIdentity: identity,
        leaseDurationSeconds: durationSeconds,
        acquireTime: taking ? stamp : spec.acquireTime,
        renewTime: stamp,
        leaseTransitions: taking ? transitions + 1 : transitions,
      });
      return this.#took(written, now, taking);
    } catch (error) {
      if (statusOf(error) === 409)
        this.#log(
          `${this.#label}: another replica wrote it first (409); ${identity} does not hold it`,
        );
      else this.#log(`${this.#label}: ${describeError(error)}`);
      return false;
    }
  }

  #took(lease: V1Lease, now: number, taking: boolean): true {
    this.#lastLease = lease;
    this.#observed = {
      rv: lease.metadata?.resourceVersion ?? '',
      at: now,
      holder: this.#o.identity,
    };
    this.#held = true;
    this.#lastRenew = now;
    this.#currentTerm = lease.spec?.leaseTransitions ?? 0;
    if (taking)
      this.#log(`${this.#label}: acquired by ${this.#o.identity}, term ${this.#currentTerm}`);
    return true;
  }

  async #loop(callbacks: LeaderCallbacks): Promise<void> {
    while (!this.#stopping) {
      const ok = await this.tryAcquireOrRenew();
      if (this.#stopping) break;
      if (ok && !this.#leading) {
        this.#leading = true;
        this.#o.stats?.leading(true);
        const term = this.#currentTerm ?? 0;
        Promise.resolve()
          .then(() => callbacks.onStartedLeading(term))
          .catch((error: unknown) =>
            this.#log(`${this.#label}: onStartedLeading failed: ${describeError(error)}`),
          );
      } else if (!ok && this.#leading) {
        const other =
          this.#observed &&
          this.#observed.holder !== this.#o.identity &&
          this.#observed.holder !== ''
            ? this.#observed.holder
            : undefined;
        const late = this.#clock() - this.#lastRenew >= this.#renewDeadlineMs;
        if (other !== undefined || late) {
          this.#log(
            `${this.#label}: ${this.#o.identity} stops leading (${other !== undefined ? `held by ${other}` : `not renewed for ${this.#renewDeadlineMs} ms`})`,
          );
          await this.#stepDown(callbacks);
        }
      }
      await this.#sleep(this.#retryMs);
    }
    const holding = this.#held;
    if (this.#leading) await this.#stepDown(callbacks); // the writer stops before the Lease is released
    if (holding && this.#release) await this.#releaseLease();
    this.#held = false;
  }

  async #stepDown(callbacks: LeaderCallbacks): Promise<void> {
    this.#leading = false;
    this.#o.stats?.leading(false);
    this.#held = false;
    try {
      await callbacks.onStoppedLeading();
    } catch (error) {
      this.#log(`${this.#label}: onStoppedLeading failed: ${describeError(error)}`);
    }
  }

  /** As client-go's ReleaseOnCancel: empty holder, 1 s duration, transitions kept. */
  async #releaseLease(): Promise<void> {
    if (!this.#lastLease) return;
    const stamp = microTime(this.#clock());
    try {
      await this.#lock.update(this.#lastLease, {
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: stamp,
        renewTime: stamp,
      });
      this.#log(`${this.#label}: released by ${this.#o.identity}`);
    } catch (error) {
      // 409: someone else wrote it since: it is no longer ours to release.
      this.#log(`${this.#label}: not released: ${describeError(error)}`);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const handle = this.#timers.setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        this.#timers.clearTimeout(handle);
        this.#wake = undefined;
        resolve();
      };
    });
  }
}
