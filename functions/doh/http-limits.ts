// Size limits of the DoH app (RFC 8484). Documented in functions/doh/README.md.
import { MAX_MESSAGE } from '../core/edns.ts';

/** A POST body above the largest DNS message gets 413 (RFC 8484 §6, RFC 1035 §4.2.2's 2-byte length). */
export const MAX_BODY = MAX_MESSAGE;

/**
 * Characters of path + query (the request target) above which a request gets 414 (RFC 9110
 * §15.5.15). 8 KiB stays under what the platforms in front of the app pass on (API Gateway HTTP
 * API: 10,240 bytes of request line and headers; Node: 16 KiB of headers; Cloudflare: 16 KB of
 * URL), so the app, not the platform, says 414.
 */
export const MAX_URL = 8192;

/**
 * Every GET of a query up to this many bytes fits MAX_URL: base64url takes 5,462 characters,
 * leaving 2,730 for `/dns-query/<token>?dns=` and other parameters. Real queries are far
 * smaller (RFC 8467 pads them to 128-byte blocks); larger ones can use POST, up to MAX_BODY.
 */
export const MAX_GET_QUERY = 4096;
