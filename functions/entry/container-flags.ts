import { readCommand, type Command, type CommandSpec } from '../../common/config/command-line.ts';
import { commaList, type FlagRow } from '../../common/config/flag-table.ts';
import { kubernetesFlags } from '../../sync/config/kubernetes-config.ts';
import { consolidateFlag } from '../log/errors-config.ts';
import { validateConfig, type ContainerConfig } from './container-config.ts';
import { checkBlocks } from './container-blocks.ts';
import { corefileConfigFile } from './container-corefile.ts';
import { dotFlags } from '../dns53/dot-config.ts';
import { rateLimitFlags } from '../ratelimit/ratelimit-config.ts';
import { dohAuthFlags } from '../auth/auth-config.ts';
import { clusterZoneFlag } from './container-cluster-config.ts';

// The container's command line: one row per flag (common/config/flag-table.ts), each setting one
// key of the configuration file; --help is generated from these rows. Adding a flag is adding a
// row; its key must exist in container-config.ts.

/** `--forward ZONE=TO[,TO...]`: one `forward` block. */
function forwardBlock(text: string): { zone: string; to: string[] } {
  const at = text.indexOf('=');
  if (at < 1)
    throw new Error(
      `expected ZONE=UPSTREAM[,UPSTREAM...], e.g. --forward .=127.0.0.1:53, got "${text}"`,
    );
  return { zone: text.slice(0, at), to: commaList(text.slice(at + 1)) };
}

export const containerFlags: readonly FlagRow[] = [
  {
    flag: 'snapshot',
    value: 'FILE',
    key: 'snapshots',
    type: 'string',
    repeat: true,
    help: 'serve a kubectl get ns,svc,endpointslices,pods -A -o json dump (JSON or YAML)',
  },
  ...kubernetesFlags,
  clusterZoneFlag,
  {
    flag: 'ns-addresses',
    value: 'IP[,IP...]',
    key: 'kubernetes.nsAddresses',
    type: 'list',
    default: 'none',
    help: 'addresses answered at ns.dns.ZONE, the NS target of every zone apex',
  },
  {
    flag: 'dns',
    value: 'HOST:PORT',
    key: 'dns.listen',
    type: 'string',
    default: '127.0.0.1:1053',
    coredns: 'server block .:53 with bind',
    help: 'UDP and TCP listen address ([::1]:53 for IPv6; port 0 picks a free port)',
  },
  {
    flag: 'dns-also',
    value: 'HOST:PORT',
    key: 'dns.also',
    type: 'string',
    repeat: true,
    default: 'none',
    coredns: 'bind ADDRESS ADDRESS...',
    help: 'one more UDP and TCP address served alike (repeat the flag for more)',
  },
  {
    flag: 'tcp-idle-timeout',
    value: 'DURATION',
    key: 'dns.tcp.idleTimeoutMs',
    type: 'string',
    default: '10s',
    coredns: 'timeouts { idle }',
    help: 'a TCP connection that completes no query for this long is closed',
  },
  {
    flag: 'tcp-max-connections',
    value: 'N',
    key: 'dns.tcp.maxConnections',
    type: 'number',
    default: '1024',
    help: 'TCP connections beyond this are closed at once',
  },
  {
    flag: 'doh',
    value: 'HOST:PORT',
    key: 'doh.listen',
    type: 'string',
    default: 'off',
    coredns: 'server block https://.:443',
    help: 'DNS-over-HTTPS (RFC 8484 and the JSON API) on this address',
  },
  {
    flag: 'doh-cert',
    value: 'FILE',
    key: 'doh.cert',
    type: 'string',
    coredns: 'tls CERT KEY',
    help: 'PEM certificate chain for DoH (with --doh-key: HTTPS and HTTP/2; without: plain HTTP)',
  },
  {
    flag: 'doh-key',
    value: 'FILE',
    key: 'doh.key',
    type: 'string',
    coredns: 'tls CERT KEY',
    help: 'PEM private key for DoH',
  },
  ...dohAuthFlags,
  ...dotFlags,
  {
    flag: 'health',
    value: 'HOST:PORT',
    key: 'health.listen',
    type: 'string',
    default: 'off',
    coredns: 'health ADDRESS',
    help: 'HTTP probes: GET /health (serving, also in lameduck); GET /ready too unless --ready',
  },
  {
    flag: 'ready',
    value: 'HOST:PORT',
    key: 'ready.listen',
    type: 'string',
    default: 'with --health',
    coredns: 'ready ADDRESS',
    help: 'GET /ready on its own address: 200 once the records are trusted, 503 with the reason',
  },
  {
    flag: 'lameduck',
    value: 'DURATION',
    key: 'health.lameduck',
    type: 'string',
    default: '0s',
    coredns: 'health { lameduck DURATION }',
    help: 'on SIGTERM/SIGINT keep answering this long while /ready is 503, then drain and exit',
  },
  {
    flag: 'reload',
    value: 'DURATION',
    key: 'reload.interval',
    type: 'string',
    default: '30s',
    coredns: 'reload INTERVAL',
    help: 'how often the --config file is checked for changes (0: only on SIGHUP/SIGUSR1)',
  },
  {
    flag: 'forward',
    value: 'ZONE=TO[,TO...]',
    key: 'forward',
    type: forwardBlock,
    repeat: true,
    default: 'none: REFUSED',
    coredns: 'forward FROM TO...',
    help: "forward names in ZONE (. for all) outside our zones to these upstreams; added to the file's blocks",
  },
  {
    flag: 'forward-policy',
    value: 'random|round_robin|sequential',
    key: 'forward[].policy',
    type: 'string',
    default: 'random',
    coredns: 'forward { policy }',
    help: 'order in which upstreams are tried (every block)',
  },
  {
    flag: 'forward-max-concurrent',
    value: 'N',
    key: 'forward[].maxConcurrent',
    type: 'number',
    default: '1000',
    coredns: 'forward { max_concurrent }',
    help: 'upstream queries in flight; past it, REFUSED (every block)',
  },
  {
    flag: 'forward-max-fails',
    value: 'N',
    key: 'forward[].maxFails',
    type: 'number',
    default: '2',
    coredns: 'forward { max_fails }',
    help: 'consecutive failures that mark an upstream down; 0 never does (every block)',
  },
  {
    flag: 'forward-health-check',
    value: 'DURATION',
    key: 'forward[].healthCheckMs',
    type: 'string',
    default: '500ms',
    coredns: 'forward { health_check }',
    help: 'how often a down upstream is probed (every block)',
  },
  {
    flag: 'forward-timeout',
    value: 'DURATION',
    key: 'forward[].timeoutMs',
    type: 'string',
    default: '2s',
    help: 'read timeout of one exchange with one upstream (every block; CoreDNS: fixed 2 s)',
  },
  {
    flag: 'forward-deadline',
    value: 'DURATION',
    key: 'forward[].deadlineMs',
    type: 'string',
    default: '5s',
    help: 'deadline of one query over every upstream tried, at least 1.8s (every block; CoreDNS: fixed 5 s)',
  },
  {
    flag: 'forward-tls-servername',
    value: 'NAME',
    key: 'forward[].tlsServerName',
    type: 'string',
    coredns: 'forward { tls_servername }',
    help: "the name tls:// upstreams' certificates must hold, unless written tls://IP#NAME (every block)",
  },
  {
    flag: 'forward-tls-ca',
    value: 'FILE',
    key: 'forward[].tls.ca',
    type: 'string',
    default: 'system CAs',
    coredns: 'forward { tls CA }',
    help: "PEM CAs that tls:// upstreams' certificates must chain to (every block)",
  },
  {
    flag: 'cache-success',
    value: 'N',
    key: 'cache.success.capacity',
    type: 'number',
    default: '9984',
    coredns: 'cache { success CAPACITY }',
    help: 'positive forwarded answers kept',
  },
  {
    flag: 'cache-denial',
    value: 'N',
    key: 'cache.denial.capacity',
    type: 'number',
    default: '9984',
    coredns: 'cache { denial CAPACITY }',
    help: 'NXDOMAIN/NODATA forwarded answers kept',
  },
  {
    flag: 'cache-prefetch',
    value: 'N',
    key: 'cache.prefetch.amount',
    type: 'number',
    default: 'off',
    coredns: 'cache { prefetch AMOUNT }',
    help: 'an answer asked N times is refreshed before it expires',
  },
  {
    flag: 'cache-serve-stale',
    value: 'DURATION',
    key: 'cache.serveStaleMs',
    type: 'string',
    default: '24h',
    coredns: 'cache { serve_stale }',
    help: 'RFC 8767: serve an expired answer up to this old when every upstream fails; 0 never',
  },
  {
    flag: 'cache-servfail',
    value: 'DURATION',
    key: 'cache.servfailMs',
    type: 'string',
    default: '5s',
    coredns: 'cache { servfail }',
    help: 'how long an upstream failure is remembered',
  },
  {
    flag: 'log',
    key: 'log.enabled',
    type: 'boolean',
    default: 'off',
    coredns: 'log',
    help: 'one line per query on stdout, in CoreDNS common log format (functions/log/README.md)',
  },
  {
    flag: 'log-format',
    value: 'FORMAT',
    key: 'log.format',
    type: 'string',
    default: '{common}',
    coredns: 'log . FORMAT',
    help: 'the query log line: {common}, {combined}, or text with placeholders such as {name} {rcode}',
  },
  {
    flag: 'log-class',
    value: 'CLASS[,CLASS]',
    key: 'log.classes',
    type: 'list',
    default: 'all',
    coredns: 'log { class CLASSES }',
    help: 'which replies are logged: all, success, denial, error',
  },
  {
    flag: 'log-json',
    key: 'log.json',
    type: 'boolean',
    default: 'off',
    help: "the query log as one JSON object per line, the format's placeholders as fields",
  },
  {
    flag: 'errors',
    key: 'errors.enabled',
    type: 'boolean',
    default: 'off',
    coredns: 'errors',
    help: 'failures as CoreDNS errors lines ([ERROR] plugin/...), with the query name and type',
  },
  {
    flag: 'errors-consolidate',
    value: 'DURATION=REGEXP',
    key: 'errors.consolidate',
    type: consolidateFlag,
    repeat: true,
    default: 'none',
    coredns: 'errors { consolidate DURATION REGEXP }',
    help: 'count errors matching REGEXP and print one line per DURATION instead (implies --errors)',
  },
  {
    flag: 'metrics',
    value: 'HOST:PORT',
    key: 'metrics.listen',
    type: 'string',
    default: 'off (npm start: 127.0.0.1:9153)',
    coredns: 'prometheus ADDRESS',
    help: 'Prometheus GET /metrics on this address: coredns_* series (functions/metrics/README.md)',
  },
  {
    flag: 'metrics-legacy-names',
    key: 'metrics.legacyNames',
    type: 'boolean',
    default: 'off',
    help: 'also export the pre-1.7 CoreDNS names old alerts use (coredns_dns_request_count_total, ...)',
  },
  ...rateLimitFlags,
];

/** `--corefile FILE`: the configuration as a CoreDNS Corefile (functions/corefile/README.md). */
const corefileRow: FlagRow = {
  flag: 'corefile',
  value: 'FILE',
  type: 'string',
  coredns: '-conf FILE',
  help: 'a CoreDNS Corefile (instead of --config); flags override what it sets',
};

const containerCommand: CommandSpec<ContainerConfig> = {
  command: 'edge-dns',
  summary:
    'Kubernetes service discovery over UDP/TCP (and DoH): serves snapshot files or a live cluster.',
  rows: [corefileRow, ...containerFlags],
  formats: [{ flag: 'corefile', read: (path, readText) => corefileConfigFile(path, readText) }],
  fileKeys:
    'dns, doh, dot, tls, health, ready, reload, snapshots, kubernetes, clusters, forward, cache, log, errors, metrics, ratelimit',
  pathKeys: [
    'snapshots[]',
    'kubernetes.kubeconfig',
    'clusters[].kubeconfig',
    'clusters[].snapshots[]',
    'doh.cert',
    'doh.key',
    'doh.auth.jwtKeys',
    'dot.cert',
    'dot.key',
    'tls.cert',
    'tls.key',
    'forward[].tls.cert',
    'forward[].tls.key',
    'forward[].tls.ca',
  ],
  // A Corefile's block plugins check their own options (container-blocks.ts).
  validate: (input, source) => {
    const config = validateConfig(input, source);
    if (config.servers) checkBlocks(config.servers);
    return config;
  },
};

/** What the command line asks for: help, the version, or a configuration to run or validate.
 *  `readText` reads a file (the entry passes fs). Throws ConfigError. */
export function containerCommandFromArgs(
  argv: string[],
  readText: (path: string) => string,
): Command<ContainerConfig> {
  return readCommand(containerCommand, argv, readText);
}

/** The configuration from `--config FILE` (YAML or JSON) with the flags laid over it. */
export function configFromArgs(
  argv: string[],
  readText: (path: string) => string,
): ContainerConfig {
  const command = containerCommandFromArgs(argv, readText);
  if (!('config' in command)) throw new Error(`${argv.join(' ')}: not a configuration`);
  return command.config;
}
