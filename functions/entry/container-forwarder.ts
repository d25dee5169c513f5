// The container's forwarder from its config (functions/forward/forward-config.ts): each block's
// upstreams (UDP with TCP retry, TCP, DoT, DoH, or a resolv.conf's nameservers) in a pool, the pools
// behind one cache. Undefined when nothing is forwarded: the resolver answers REFUSED.
import { readFileSync } from 'node:fs';
import type { CacheConfig, ForwardConfig } from '../forward/forward-config.ts';
import { ConfigError } from '../../common/config/config-error.ts';
import { ForwardZones } from '../forward/forward-zones.ts';
import { TcpUpstream } from '../forward/upstream-tcp.ts';
import { UdpUpstream } from '../forward/upstream-udp.ts';
import { DohUpstream } from '../forward/upstream-doh.ts';
import { TlsUpstream } from '../forward/upstream-tls.ts';
import { UpstreamPool, type PoolOptions } from '../forward/upstream-pool.ts';
import { parseUpstreamSpec, resolvConfNameservers } from '../forward/upstream-spec.ts';
import { randomId, type Upstream } from '../forward/upstream.ts';

export function forwarderFromConfig(
  blocks: readonly ForwardConfig[],
  cache: CacheConfig,
  log: (line: string) => void,
  readText = (path: string) => readFileSync(path, 'utf8'),
  /** Callbacks every pool is given (the errors plugin's, metrics'). */
  hooks: Pick<PoolOptions, 'onFailure' | 'onReply'> = {},
): ForwardZones | undefined {
  if (blocks.length === 0) return undefined;
  const zones = blocks.map((block) => {
    const upstreams = block.to.flatMap((text) => upstreamsOf(text, block, readText));
    const pool = new UpstreamPool({
      upstreams,
      policy: block.policy,
      maxConcurrent: block.maxConcurrent,
      maxFails: block.maxFails,
      healthCheckMs: block.healthCheckMs,
      deadlineMs: block.deadlineMs,
      randomId,
      log,
      ...hooks,
    });
    return { zone: block.zone, pool };
  });
  const { success, denial, prefetch, serveStaleMs, servfailMs } = cache;
  return new ForwardZones(
    zones,
    { success, denial, ...(prefetch && { prefetch }), serveStaleMs, servfailMs },
    Date.now,
  );
}

function upstreamsOf(
  text: string,
  block: ForwardConfig,
  readText: (path: string) => string,
): Upstream[] {
  const { timeoutMs } = block;
  const spec = parseUpstreamSpec(text);
  if (spec.kind === 'https') return [new DohUpstream({ url: spec.url, timeoutMs })];
  if (spec.kind === 'tls') {
    // The name written with the upstream (tls://IP#NAME), else the block's tls_servername.
    const serverName = spec.serverName ?? block.tlsServerName;
    return [
      new TlsUpstream(spec.address, {
        timeoutMs,
        ...(serverName !== undefined && { serverName }),
        ...pemFiles(block.tls ?? {}, readText),
      }),
    ];
  }
  if (spec.kind !== 'resolv.conf')
    return [
      spec.kind === 'udp'
        ? new UdpUpstream(spec.address, { timeoutMs })
        : new TcpUpstream(spec.address, { timeoutMs }),
    ];
  let servers: string[];
  try {
    servers = resolvConfNameservers(readText(spec.path));
  } catch (error) {
    throw new ConfigError(`forward: cannot read ${spec.path}: ${(error as Error).message}`);
  }
  if (servers.length === 0) throw new ConfigError(`forward: ${spec.path} names no nameserver`);
  return servers.map((server) => {
    const parsed = parseUpstreamSpec(server);
    if (parsed.kind !== 'udp')
      throw new ConfigError(`forward: ${spec.path}: nameserver ${server} is not an IP address`);
    return new UdpUpstream(parsed.address, { timeoutMs });
  });
}

/** The PEM files of `forward { tls }`, read; a file that cannot be read stops start-up naming it. */
function pemFiles(
  files: NonNullable<ForwardConfig['tls']>,
  readText: (path: string) => string,
): { ca?: string; cert?: string; key?: string } {
  const out: Record<string, string> = {};
  for (const [field, path] of Object.entries(files)) {
    if (path === undefined) continue;
    try {
      out[field] = readText(path);
    } catch (error) {
      throw new ConfigError(
        `forward tls ${field}: cannot read ${path}: ${(error as Error).message}`,
      );
    }
  }
  return out;
}
