// A test Kubernetes API server over HTTP on 127.0.0.1 that the real @kubernetes/client-node talks to.
// It follows the API conventions the sync relies on (Kubernetes API concepts, "Efficient detection
// of changes" and "Retrieving large results sets in chunks"): one global resourceVersion; a LIST
// answers a v1 List with metadata.resourceVersion (and limit/continue pages); `?watch=true&
// resourceVersion=N` streams one JSON event per line after N, and answers an ERROR event with a 410
// Status (then ends the stream) when N is older than the kept history. Leases support GET, POST
// (409 AlreadyExists) and PUT with metadata.resourceVersion optimistic concurrency (409 Conflict).
// Test controls make changes, bookmarks, expiries, drops, failures and outages happen on demand.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { EventEmitter, once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { Json } from './kube-objects.ts';

export type KubeKind =
  'Namespace' | 'Service' | 'EndpointSlice' | 'Pod' | 'Lease' | 'ServiceImport' | 'ServiceExport';
export type Verb = 'list' | 'watch' | 'get' | 'create' | 'update' | 'delete';

const KINDS: Record<
  KubeKind,
  { prefix: string; resource: string; apiVersion: string; namespaced: boolean }
> = {
  Namespace: { prefix: '/api/v1', resource: 'namespaces', apiVersion: 'v1', namespaced: false },
  Service: { prefix: '/api/v1', resource: 'services', apiVersion: 'v1', namespaced: true },
  Pod: { prefix: '/api/v1', resource: 'pods', apiVersion: 'v1', namespaced: true },
  EndpointSlice: {
    prefix: '/apis/discovery.k8s.io/v1',
    resource: 'endpointslices',
    apiVersion: 'discovery.k8s.io/v1',
    namespaced: true,
  },
  Lease: {
    prefix: '/apis/coordination.k8s.io/v1',
    resource: 'leases',
    apiVersion: 'coordination.k8s.io/v1',
    namespaced: true,
  },
  // A CRD's kind (Multi-Cluster Services, KEP-1645): `unserve` makes it absent, as before install.
  ServiceImport: {
    prefix: '/apis/multicluster.x-k8s.io/v1alpha1',
    resource: 'serviceimports',
    apiVersion: 'multicluster.x-k8s.io/v1alpha1',
    namespaced: true,
  },
  ServiceExport: {
    prefix: '/apis/multicluster.x-k8s.io/v1alpha1',
    resource: 'serviceexports',
    apiVersion: 'multicluster.x-k8s.io/v1alpha1',
    namespaced: true,
  },
};
const KIND_NAMES = Object.keys(KINDS) as KubeKind[];
// /api/v1[/namespaces/NS]/RESOURCE[/NAME] and /apis/GROUP/VERSION[/namespaces/NS]/RESOURCE[/NAME]
const ROUTE =
  /^(\/api\/v1|\/apis\/[^/]+\/v1[a-z0-9]*)(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?$/;
export const TOKEN = 'edge-dns-test-token';

interface Event {
  rv: number;
  kind: KubeKind;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Json;
}
interface OpenWatch {
  kind: KubeKind;
  namespace?: string;
  res: ServerResponse;
  bookmarks: boolean;
}
interface Failure {
  remaining: number;
  status: number;
  kind?: KubeKind;
  verb?: Verb;
}
export interface RequestSeen {
  kind: KubeKind;
  verb: Verb;
  namespace?: string;
  name?: string;
  resourceVersion?: string;
}

const zero = () => Object.fromEntries(KIND_NAMES.map((k) => [k, 0])) as Record<KubeKind, number>;
const meta = (o: Json) =>
  (o.metadata ?? {}) as {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    creationTimestamp?: string;
  };
const keyOf = (ns: string | undefined, name: string) => (ns ? `${ns}/${name}` : name);

export class KubeApiServer {
  /** Every request after routing ('request', RequestSeen), and each watch going live ('watch', RequestSeen). */
  readonly events = new EventEmitter();
  /** LIST and watch requests per kind, failed ones included. */
  readonly counters = { lists: zero(), watches: zero() };
  readonly #server = createServer((req, res) => {
    this.#handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) this.#reply(res, 500, this.#status(500, 'InternalError', String(e)));
      else res.destroy();
    });
  });
  readonly #sockets = new Set<Socket>();
  readonly #store = new Map<KubeKind, Map<string, Json>>(KIND_NAMES.map((k) => [k, new Map()]));
  readonly #history: Event[] = [];
  readonly #watches = new Set<OpenWatch>();
  readonly #failures: Failure[] = [];
  readonly #pages = new Map<string, { rv: number; items: Json[] }>();
  readonly #unserved = new Set<KubeKind>();
  #rv = 1000;
  /** A watch from a resourceVersion below this one gets 410 Gone (history compacted). */
  #compactedRV = 0;
  #port = 0;
  readonly #historyLimit: number;

  static async start(options: { historyLimit?: number } = {}): Promise<KubeApiServer> {
    const s = new KubeApiServer(options.historyLimit ?? 100_000);
    await s.#listen(0);
    return s;
  }

  private constructor(historyLimit: number) {
    this.#historyLimit = historyLimit;
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get resourceVersion(): string {
    return String(this.#rv);
  }

  /** A client-node KubeConfig for this server (http needs skipTLSVerify in client-node 1.4). */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromString(JSON.stringify(this.#kubeconfigObject()));
    return kc;
  }

  /** Writes a kubeconfig YAML file for child processes. */
  writeKubeconfig(path: string): void {
    writeFileSync(path, stringify(this.#kubeconfigObject()));
  }

  #kubeconfigObject(): Json {
    return {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test', cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'test', user: { token: TOKEN } }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'test' } }],
      'current-context': 'test',
    };
  }

  /** Serves `kind` or not: an unserved kind answers 404 to every request, as a CRD not installed. */
  serve(kind: KubeKind, served: boolean): void {
    if (served) this.#unserved.delete(kind);
    else this.#unserved.add(kind);
  }

  /** Creates or replaces an object (namespaced kinds default to namespace `default`); emits ADDED/MODIFIED. */
  apply(kind: KubeKind, object: Json): Json {
    const stored = structuredClone(object);
    const m = meta(stored);
    if (!m.name) throw new Error(`apply ${kind}: metadata.name is required`);
    if (KINDS[kind].namespaced) m.namespace ??= 'default';
    else delete m.namespace;
    const key = keyOf(m.namespace, m.name);
    const previous = this.#store.get(kind)!.get(key);
    m.uid = previous ? meta(previous).uid : `uid-${this.#rv + 1}`;
    m.creationTimestamp = previous
      ? meta(previous).creationTimestamp
      : new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    stored.metadata = m;
    stored.kind = kind;
    stored.apiVersion = KINDS[kind].apiVersion;
    this.#record(kind, previous ? 'MODIFIED' : 'ADDED', stored);
    return structuredClone(stored);
  }

  /** Deletes an object (`namespace` '' for cluster-scoped kinds); emits DELETED. False if absent. */
  remove(kind: KubeKind, namespace: string, name: string): boolean {
    const found = this.#store.get(kind)!.get(keyOf(namespace, name));
    if (!found) return false;
    this.#record(kind, 'DELETED', structuredClone(found));
    return true;
  }

  get(kind: KubeKind, namespace: string, name: string): Json | undefined {
    const found = this.#store.get(kind)!.get(keyOf(namespace, name));
    return found && structuredClone(found);
  }

  /** A BOOKMARK at the current resourceVersion to every open watch that asked for bookmarks. */
  bookmark(): void {
    for (const w of this.#watches) {
      if (w.bookmarks)
        this.#send(w, 'BOOKMARK', {
          kind: w.kind,
          apiVersion: KINDS[w.kind].apiVersion,
          metadata: { resourceVersion: String(this.#rv) },
        });
    }
  }

  /** 410 Gone to every open watch, and compacts history: a re-watch from an older version gets 410. */
  expireWatches(): void {
    // The version moves on (as other writes would move etcd's revision), so that every version a
    // client holds is now older than the kept history, while a fresh list's version is not.
    this.#rv += 1;
    this.#compact(this.#rv);
    for (const w of [...this.#watches]) {
      this.#send(w, 'ERROR', this.#status(410, 'Expired', 'too old resource version'));
      this.#watches.delete(w);
      w.res.end();
    }
  }

  /** Ends open watch streams cleanly, as a server-side `timeoutSeconds` does; clients resume from their version. */
  closeWatches(): void {
    for (const w of [...this.#watches]) {
      this.#watches.delete(w);
      w.res.end();
    }
  }

  /** Destroys the sockets of open watches, without any event. */
  dropConnections(): void {
    for (const w of [...this.#watches]) {
      this.#watches.delete(w);
      w.res.socket?.destroy();
    }
  }

  /** The next `count` requests (matching `filter`, if given) are answered with `status`. */
  failNext(count: number, status = 500, filter: { kind?: KubeKind; verb?: Verb } = {}): void {
    this.#failures.push({ remaining: count, status, ...filter });
  }

  /** Forgets the failures still pending from failNext. */
  clearFailures(): void {
    this.#failures.length = 0;
  }

  /** true: stop accepting connections and destroy open ones; false: listen again on the same port. */
  async setUnreachable(unreachable: boolean): Promise<void> {
    if (unreachable === !this.#server.listening) return;
    if (!unreachable) return this.#listen(this.#port);
    const closed = once(this.#server, 'close');
    this.#server.close();
    this.#watches.clear();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  openWatches(kind: KubeKind): number {
    return [...this.#watches].filter((w) => w.kind === kind).length;
  }

  /** Resolves with the next request of `kind` and `verb` (made after this call). */
  nextRequest(kind: KubeKind, verb: Verb): Promise<RequestSeen> {
    return this.#next('request', kind, verb);
  }

  /** Resolves when the next watch of `kind` is live (its history sent). */
  nextWatch(kind: KubeKind): Promise<RequestSeen> {
    return this.#next('watch', kind, 'watch');
  }

  async close(): Promise<void> {
    for (const w of this.#watches) w.res.end();
    this.#watches.clear();
    if (!this.#server.listening) return;
    const closed = once(this.#server, 'close');
    this.#server.close();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  #next(event: 'request' | 'watch', kind: KubeKind, verb: Verb): Promise<RequestSeen> {
    return new Promise((resolve) => {
      const listener = (seen: RequestSeen) => {
        if (seen.kind !== kind || seen.verb !== verb) return;
        this.events.off(event, listener);
        resolve(seen);
      };
      this.events.on(event, listener);
    });
  }

  async #listen(port: number): Promise<void> {
    this.#server.listen(port, '127.0.0.1');
    await once(this.#server, 'listening');
    const address = this.#server.address();
    if (address && typeof address === 'object') this.#port = address.port;
  }

  #record(kind: KubeKind, type: Event['type'], object: Json): void {
    this.#rv += 1;
    meta(object).resourceVersion = String(this.#rv);
    const m = meta(object);
    const objects = this.#store.get(kind)!;
    if (type === 'DELETED') objects.delete(keyOf(m.namespace, m.name!));
    else objects.set(keyOf(m.namespace, m.name!), object);
    this.#history.push({ rv: this.#rv, kind, type, object });
    if (this.#history.length > this.#historyLimit)
      this.#compact(this.#history[this.#history.length - this.#historyLimit]!.rv - 1);
    for (const w of this.#watches)
      if (w.kind === kind && (!w.namespace || w.namespace === m.namespace))
        this.#send(w, type, object);
  }

  #compact(upTo: number): void {
    this.#compactedRV = Math.max(this.#compactedRV, upTo);
    while (this.#history.length > 0 && this.#history[0]!.rv <= upTo) this.#history.shift();
  }

  #send(w: OpenWatch, type: string, object: Json): void {
    w.res.write(`${JSON.stringify({ type, object })}\n`);
  }

  #status(code: number, reason: string, message: string): Json {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
    };
  }

  #reply(res: ServerResponse, code: number, body: Json): void {
    const text = JSON.stringify(body);
    res.writeHead(code, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = ROUTE.exec(url.pathname);
    const kind =
      route &&
      KIND_NAMES.find((k) => KINDS[k].prefix === route[1] && KINDS[k].resource === route[3]);
    if (!route || !kind)
      return this.#reply(res, 404, this.#status(404, 'NotFound', `no route for ${url.pathname}`));
    if (req.headers.authorization !== `Bearer ${TOKEN}`)
      return this.#reply(res, 401, this.#status(401, 'Unauthorized', 'Unauthorized'));
    const namespace = route[2];
    const name = route[4] === undefined ? undefined : decodeURIComponent(route[4]);
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const verb: Verb | undefined =
      req.method === 'GET'
        ? name
          ? 'get'
          : watch
            ? 'watch'
            : 'list'
        : req.method === 'POST' && !name
          ? 'create'
          : req.method === 'PUT' && name
            ? 'update'
            : req.method === 'DELETE' && name
              ? 'delete'
              : undefined;
    if (!verb)
      return this.#reply(
        res,
        405,
        this.#status(405, 'MethodNotAllowed', `${req.method} ${url.pathname}`),
      );
    const seen: RequestSeen = {
      kind,
      verb,
      namespace,
      name,
      resourceVersion: url.searchParams.get('resourceVersion') ?? undefined,
    };
    this.events.emit('request', seen);
    if (verb === 'list' || verb === 'watch')
      this.counters[verb === 'list' ? 'lists' : 'watches'][kind] += 1;
    if (this.#unserved.has(kind))
      return this.#reply(
        res,
        404,
        this.#status(404, 'NotFound', 'the server could not find the requested resource'),
      );
    const failure = this.#failures.find(
      (f) => f.remaining > 0 && (!f.kind || f.kind === kind) && (!f.verb || f.verb === verb),
    );
    if (failure) {
      failure.remaining -= 1;
      if (failure.remaining === 0) this.#failures.splice(this.#failures.indexOf(failure), 1);
      return this.#reply(
        res,
        failure.status,
        this.#status(failure.status, 'InternalError', `injected failure ${failure.status}`),
      );
    }
    const body = req.method === 'POST' || req.method === 'PUT' ? await readJson(req) : undefined;
    if (body === null)
      return this.#reply(res, 400, this.#status(400, 'BadRequest', 'body is not a JSON object'));
    const objects = this.#store.get(kind)!;
    switch (verb) {
      case 'list':
        return this.#list(res, kind, namespace, url.searchParams);
      case 'watch':
        return this.#watch(req, res, kind, namespace, url.searchParams, seen);
      case 'get': {
        const found = objects.get(keyOf(namespace, name!));
        return found
          ? this.#reply(res, 200, found)
          : this.#reply(res, 404, this.#status(404, 'NotFound', `${kind} "${name}" not found`));
      }
      case 'delete':
        return this.remove(kind, namespace ?? '', name!)
          ? this.#reply(res, 200, this.#status(200, '', 'deleted'))
          : this.#reply(res, 404, this.#status(404, 'NotFound', `${kind} "${name}" not found`));
      case 'create': {
        const m = meta(body!);
        if (m.name && objects.has(keyOf(namespace, m.name)))
          return this.#reply(
            res,
            409,
            this.#status(409, 'AlreadyExists', `${kind} "${m.name}" already exists`),
          );
        return this.#reply(res, 201, this.apply(kind, { ...body!, metadata: { ...m, namespace } }));
      }
      case 'update': {
        const found = objects.get(keyOf(namespace, name!));
        if (!found)
          return this.#reply(
            res,
            404,
            this.#status(404, 'NotFound', `${kind} "${name}" not found`),
          );
        const wanted = meta(body!).resourceVersion;
        // Optimistic concurrency: an update naming a resourceVersion applies only to that version.
        if (wanted && wanted !== meta(found).resourceVersion) {
          return this.#reply(
            res,
            409,
            this.#status(
              409,
              'Conflict',
              `Operation cannot be fulfilled on ${KINDS[kind].resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
            ),
          );
        }
        return this.#reply(
          res,
          200,
          this.apply(kind, { ...body!, metadata: { ...meta(body!), name, namespace } }),
        );
      }
    }
  }

  #list(
    res: ServerResponse,
    kind: KubeKind,
    namespace: string | undefined,
    params: URLSearchParams,
  ): void {
    const limit = Number(params.get('limit') ?? 0);
    const token = params.get('continue');
    let page: { rv: number; items: Json[] };
    let offset = 0;
    if (token) {
      const [id, at] = token.split(':');
      const snapshot = this.#pages.get(id ?? '');
      if (!snapshot || snapshot.rv < this.#compactedRV)
        return this.#reply(
          res,
          410,
          this.#status(410, 'Expired', 'the provided continue parameter is too old'),
        );
      page = snapshot;
      offset = Number(at);
    } else {
      page = {
        rv: this.#rv,
        items: [...this.#store.get(kind)!.values()].filter(
          (o) => !namespace || meta(o).namespace === namespace,
        ),
      };
    }
    const items = limit > 0 ? page.items.slice(offset, offset + limit) : page.items.slice(offset);
    const more = limit > 0 && offset + limit < page.items.length;
    let next: string | undefined;
    if (more) {
      const id = token?.split(':')[0] ?? `p${this.#pages.size + 1}`;
      this.#pages.set(id, page);
      next = `${id}:${offset + limit}`;
    }
    this.#reply(res, 200, {
      kind: `${kind}List`,
      apiVersion: KINDS[kind].apiVersion,
      metadata: { resourceVersion: String(page.rv), ...(next ? { continue: next } : {}) },
      items,
    });
  }

  #watch(
    req: IncomingMessage,
    res: ServerResponse,
    kind: KubeKind,
    namespace: string | undefined,
    params: URLSearchParams,
    seen: RequestSeen,
  ): void {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    const w: OpenWatch = {
      kind,
      namespace,
      res,
      bookmarks: params.get('allowWatchBookmarks') === 'true',
    };
    const from = params.get('resourceVersion') ?? '';
    const inScope = (o: Json) => !namespace || meta(o).namespace === namespace;
    if (from === '' || from === '0') {
      // No version: start with the current state as ADDED events, then follow.
      for (const o of this.#store.get(kind)!.values()) if (inScope(o)) this.#send(w, 'ADDED', o);
    } else if (Number(from) < this.#compactedRV) {
      this.#send(
        w,
        'ERROR',
        this.#status(410, 'Expired', `too old resource version: ${from} (${this.#compactedRV})`),
      );
      res.end();
      return;
    } else {
      for (const e of this.#history)
        if (e.rv > Number(from) && e.kind === kind && inScope(e.object))
          this.#send(w, e.type, e.object);
    }
    this.#watches.add(w);
    const timeout = Number(params.get('timeoutSeconds') ?? 0);
    const timer =
      timeout > 0
        ? setTimeout(() => this.#watches.delete(w) && res.end(), timeout * 1000).unref()
        : undefined;
    res.once('close', () => {
      clearTimeout(timer);
      this.#watches.delete(w);
    });
    req.socket.setNoDelay(true);
    this.events.emit('watch', seen);
  }
}

async function readJson(req: IncomingMessage): Promise<Json | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Json)
      : null;
  } catch {
    return null;
  }
}
