// Small builders of Kubernetes object JSON, as the API server would store them, for the tests that
// feed the test Kubernetes API server (test/support/kube-api-server.ts).

export type Json = Record<string, unknown>;

export function namespaceObject(name: string, labels?: Record<string, string>): Json {
  return { metadata: { name, ...(labels ? { labels } : {}) } };
}

/** A ClusterIP Service with one TCP port 80 named `http`, unless `spec` says otherwise. */
export function serviceObject(namespace: string, name: string, spec: Json = {}): Json {
  return {
    metadata: { name, namespace },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      ...spec,
    },
  };
}

/** An IPv4 EndpointSlice of `service` with ready endpoints at `addresses`, port 8080 named `http`. */
export function endpointSliceObject(
  namespace: string,
  name: string,
  service: string,
  addresses: string[],
): Json {
  return {
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints: addresses.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

export function podObject(namespace: string, name: string, ip: string): Json {
  return {
    metadata: { name, namespace },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  };
}

export function leaseObject(
  namespace: string,
  name: string,
  holderIdentity: string,
  leaseDurationSeconds = 15,
  leaseTransitions = 0,
): Json {
  const now = new Date().toISOString().replace('Z', '000Z');
  return {
    metadata: { name, namespace },
    spec: {
      holderIdentity,
      leaseDurationSeconds,
      leaseTransitions,
      acquireTime: now,
      renewTime: now,
    },
  };
}
