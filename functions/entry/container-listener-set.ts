// The container's open listeners (UDP/TCP, DoH, probes) and how a reload moves them: only those
// whose address changed are rebound, the new one bound before the old one is let go (a busy
// address fails the reload and leaves everything as it was); the old one then drains like at
// shutdown. Options that need no new socket (TCP limits, a DoH certificate, which probe paths a
// port answers) are applied in place (docs/architecture.md §8.12; TLS: container-tls-reload.ts).
import type { ResolverContext } from '../core/resolver.ts';
import type { TcpServer } from '../dns53/tcp.ts';
import { defaultTcpLimits } from '../dns53/tcp.ts';
import type { UdpServer } from '../dns53/udp.ts';
import type { DohListener } from '../doh/node-server.ts';
import type { ProbeServer, Readiness } from '../../common/probes/probe-server.ts';
import type { ContainerConfig } from './container-config.ts';
import type { ContainerLog } from './container-logs.ts';
import type { ListenerObservers } from './container-observers.ts';
import { DRAIN_TIMEOUT_MS } from './container-lifecycle.ts';
import {
  dnsHandler,
  probeAddresses,
  serveDns,
  serveDohFrom,
  serveDotFrom,
  serveProbesAt,
} from './container-listeners.ts';
import { containerDohAuth } from './container-doh-auth.ts';
import type { Admission } from './container-admission.ts';
import { dohInPlace, dotInPlace } from './container-tls-reload.ts';
import type { MessageHandler } from '../dns53/handler.ts';
import { splitHostPort } from '../../common/config/fields.ts';

export type ListenerConfig = Pick<
  ContainerConfig,
  'dns' | 'doh' | 'dot' | 'tls' | 'health' | 'ready' | 'kubernetes'
>;

export interface ListenerDeps {
  /** The resolver context of the running generation, read once per query. */
  current: () => ResolverContext;
  readiness: Readiness;
  log: ContainerLog;
  /** The query observers (metrics, query log), when any is on. */
  observers?: ListenerObservers;
  /** Rate limit and ACL of the running generation, read once per query (container-admission.ts). */
  admission?: () => Admission;
}

/** `[::1]:53` or `127.0.0.1:53`. */
export const hostPortText = (a: { host: string; port: number }) =>
  a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;

export interface ListenerMove {
  changes: string[];
  /** Switches to the new listeners (synchronously) and drains the old ones. */
  commit(): Promise<void>;
  /** Closes what was bound for the move. */
  cancel(): Promise<void>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** An extra address written with port 0 takes the port the main DNS listener was given. */
function samePort(listen: string, main: { udp: UdpServer }): string {
  const { host, port } = splitHostPort(listen);
  return port === 0 ? hostPortText({ host, port: main.udp.address.port }) : listen;
}

export class ContainerListeners {
  dns!: { udp: UdpServer; tcp: TcpServer };
  /** `dns.also`: more addresses served alike (CoreDNS `bind` with several), by address. */
  also = new Map<string, { udp: UdpServer; tcp: TcpServer }>();
  doh: DohListener | undefined;
  dot: TcpServer | undefined;
  /** By listen address, as configured (container-listeners.ts probeAddresses). */
  probes = new Map<string, ProbeServer>();
  #config!: ListenerConfig;
  readonly #deps: ListenerDeps;
  /** What UDP, TCP and DoT queries go to. */
  readonly #handle: MessageHandler;

  private constructor(deps: ListenerDeps) {
    this.#deps = deps;
    this.#handle = dnsHandler(deps.current, deps.admission, deps.observers);
  }

  /** Binds every listener of `config`; on a failure closes what it bound and throws. */
  static async open(config: ListenerConfig, deps: ListenerDeps): Promise<ContainerListeners> {
    const set = new ContainerListeners(deps);
    const opened: { close(): Promise<void> }[] = [];
    try {
      set.dns = await serveDns(config.dns, set.#handle, deps.log, deps.observers);
      opened.push(set.dns.udp, set.dns.tcp);
      for (const listen of config.dns.also) {
        const at = samePort(listen, set.dns);
        const dns = await serveDns({ ...config.dns, listen: at }, set.#handle, deps.log);
        opened.push(dns.udp, dns.tcp);
        set.also.set(listen, dns);
      }
      set.dot = await serveDotFrom(config, set.#handle, deps.log);
      if (set.dot) opened.push(set.dot);
      set.doh = await serveDohFrom(
        config.doh,
        deps.current,
        deps.observers,
        deps.admission,
        containerDohAuth(config),
      );
      if (set.doh) opened.push(set.doh);
      for (const [key, site] of probeAddresses(config)) {
        const server = await serveProbesAt(site.listen, site.paths, deps.readiness);
        opened.push(server);
        set.probes.set(key, server);
      }
    } catch (error) {
      await Promise.allSettled(opened.map((l) => l.close()));
      throw error;
    }
    set.#config = config;
    return set;
  }

  /** Binds what `next` moves to a new address, and prepares what changes in place. */
  async move(next: ListenerConfig): Promise<ListenerMove> {
    const old = this.#config;
    const deps = this.#deps;
    const changes: string[] = [];
    const bound: { close(): Promise<void> }[] = [];
    const apply: (() => void)[] = [];
    const retire: { drain(ms: number): Promise<void> }[] = [];
    const closeRetired: ProbeServer[] = [];
    try {
      if (next.dns.listen !== old.dns.listen) {
        const dns = await serveDns(next.dns, this.#handle, deps.log, deps.observers);
        bound.push(dns.udp, dns.tcp);
        changes.push(`dns on udp://${hostPortText(dns.udp.address)}`);
        const before = this.dns;
        apply.push(() => (this.dns = dns));
        retire.push(before.udp, before.tcp);
      } else if (!same(next.dns.tcp, old.dns.tcp)) {
        apply.push(() => this.dns.tcp.setLimits({ ...defaultTcpLimits, ...next.dns.tcp }));
        changes.push('tcp limits');
      }
      // Each extra address: kept (new TCP limits in place), bound anew, or retired.
      const also = new Map<string, { udp: UdpServer; tcp: TcpServer }>();
      for (const listen of next.dns.also) {
        const running = this.also.get(listen);
        if (running) {
          also.set(listen, running);
          apply.push(() => running.tcp.setLimits({ ...defaultTcpLimits, ...next.dns.tcp }));
          continue;
        }
        const at = samePort(listen, this.dns);
        const dns = await serveDns({ ...next.dns, listen: at }, this.#handle, deps.log);
        bound.push(dns.udp, dns.tcp);
        also.set(listen, dns);
        changes.push(`dns also on udp://${hostPortText(dns.udp.address)}`);
      }
      for (const [listen, dns] of this.also)
        if (!also.has(listen)) {
          retire.push(dns.udp, dns.tcp);
          changes.push(`dns no longer on ${listen}`);
        }
      apply.push(() => (this.also = also));
      if (next.dot.listen !== old.dot.listen) {
        const dot = await serveDotFrom(next, this.#handle, deps.log);
        if (dot) bound.push(dot);
        changes.push(dot ? `dot on tls://${hostPortText(dot.address)}` : 'dot off');
        const before = this.dot;
        apply.push(() => (this.dot = dot));
        if (before) retire.push(before);
      } else if (this.dot) {
        const kept = dotInPlace(next, old, this.dot);
        apply.push(...kept.apply);
        changes.push(...kept.changes);
      }
      if (next.doh.listen !== old.doh.listen) {
        const doh = await serveDohFrom(
          next.doh,
          deps.current,
          deps.observers,
          deps.admission,
          containerDohAuth(next),
        );
        if (doh) bound.push(doh);
        changes.push(doh ? `doh on ${doh.url}` : 'doh off');
        const before = this.doh;
        apply.push(() => (this.doh = doh));
        if (before) retire.push(before);
      } else if (this.doh) {
        const kept = dohInPlace(next, old, this.doh);
        apply.push(...kept.apply);
        changes.push(...kept.changes);
      }
      const wanted = probeAddresses(next);
      const had = probeAddresses(old);
      const probes = new Map<string, ProbeServer>();
      for (const [key, site] of wanted) {
        const running = this.probes.get(key);
        if (running) {
          probes.set(key, running);
          if (!same(site.paths, had.get(key)?.paths))
            apply.push(() => running.setPaths(site.paths));
        } else {
          const server = await serveProbesAt(site.listen, site.paths, deps.readiness);
          bound.push(server);
          probes.set(key, server);
        }
      }
      for (const [key, server] of this.probes) if (!probes.has(key)) closeRetired.push(server);
      if (!same([...wanted], [...had]))
        changes.push(
          `probes on ${[...wanted.values()].map((s) => `${s.listen} ${s.paths.join(' ')}`).join(', ') || 'none'}`,
        );
      apply.push(() => (this.probes = probes));
    } catch (error) {
      await Promise.allSettled(bound.map((l) => l.close()));
      throw error;
    }
    return {
      changes,
      commit: async () => {
        for (const step of apply) step();
        this.#config = next;
        await Promise.allSettled([
          ...retire.map((l) => l.drain(DRAIN_TIMEOUT_MS)),
          ...closeRetired.map((p) => p.close()),
        ]);
      },
      cancel: async () => void (await Promise.allSettled(bound.map((l) => l.close()))),
    };
  }

  /** Stops accepting queries and finishes those in flight (UDP, TCP, DoH); probes stay. */
  async drain(timeoutMs: number): Promise<void> {
    await Promise.allSettled([
      this.dns.udp.drain(timeoutMs),
      this.dns.tcp.drain(timeoutMs),
      ...[...this.also.values()].flatMap((d) => [d.udp.drain(timeoutMs), d.tcp.drain(timeoutMs)]),
      this.dot?.drain(timeoutMs),
      this.doh?.drain(timeoutMs),
    ]);
  }

  async closeProbes(): Promise<void> {
    await Promise.allSettled([...this.probes.values()].map((p) => p.close()));
  }
}
