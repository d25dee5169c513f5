// The media types of DoH and when a client gets JSON.

export const DNS_MESSAGE = 'application/dns-message'; // RFC 8484 §6
export const DNS_JSON = 'application/dns-json'; // Cloudflare's and Google's JSON API media type

/** JSON when Accept names dns-json and the wire format is not also acceptable. */
export function wantsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const lower = accept.toLowerCase();
  return lower.includes(DNS_JSON) && !lower.includes(DNS_MESSAGE);
}
