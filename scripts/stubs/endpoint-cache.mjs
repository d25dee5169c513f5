// Stands in for @aws-sdk/endpoint-cache in the edge bundles (scripts/build.mjs): the same API over
// a Map bounded by insertion order, instead of mnemonist's LRU (with obliterator, about 8 KB
// minified). The DynamoDB client always builds one for endpoint discovery (DescribeEndpoints,
// off unless endpointDiscoveryEnabled is set; the edge entries leave it off), so it stays empty.
export class EndpointCache {
  constructor(capacity) {
    this.capacity = capacity;
    this.cache = new Map();
  }
  getEndpoint(key) {
    const endpoints = this.get(key);
    if (!endpoints || endpoints.length === 0) return undefined;
    return endpoints[Math.floor(Math.random() * endpoints.length)].Address;
  }
  get(key) {
    const value = this.cache.get(key);
    if (!value || value.length === 0) return undefined;
    const now = Date.now();
    const live = value.filter((endpoint) => now < endpoint.Expires);
    if (live.length === 0) {
      this.delete(key);
      return undefined;
    }
    return live;
  }
  set(key, endpoints) {
    const now = Date.now();
    this.cache.delete(key);
    this.cache.set(
      key,
      endpoints.map(({ Address, CachePeriodInMinutes }) => ({
        Address,
        Expires: now + CachePeriodInMinutes * 60 * 1000,
      })),
    );
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value);
  }
  delete(key) {
    this.cache.set(key, []);
  }
  has(key) {
    return (this.cache.get(key)?.length ?? 0) > 0;
  }
  clear() {
    this.cache.clear();
  }
}
