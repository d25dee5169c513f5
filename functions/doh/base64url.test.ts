import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeBase64Url, encodeBase64Url } from './base64url.ts';

test('base64url round-trips any bytes, as Buffer encodes them (RFC 4648 §5, no padding)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const text = encodeBase64Url(bytes);
      assert.equal(text, Buffer.from(bytes).toString('base64url'));
      assert.deepEqual(decodeBase64Url(text), bytes);
    }),
  );
});

test('the RFC 8484 §4.1.1 example query decodes', () => {
  const bytes = decodeBase64Url('AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB');
  assert.ok(bytes);
  assert.equal(
    Buffer.from(bytes).toString('hex'),
    '00000100000100000000000003777777076578616d706c6503636f6d0000010001',
  );
});

test('what is not canonical base64url without padding is refused', () => {
  const bad: [string, string][] = [
    ['AAE=', 'padding (RFC 8484 §4.1)'],
    ['AAE%3D', 'escaped padding'],
    ['AA+B', 'base64 alphabet, not base64url'],
    ['AA/B', 'base64 alphabet, not base64url'],
    ['AAAAA', 'length 4n+1'],
    ['AAB', 'non-zero pad bits (RFC 4648 §3.5)'],
    ['AF', 'non-zero pad bits'],
    ['AA A', 'space'],
    ['AAé', 'non-ASCII'],
  ];
  for (const [text, why] of bad) assert.equal(decodeBase64Url(text), undefined, `${text}: ${why}`);
  assert.deepEqual(decodeBase64Url(''), new Uint8Array(0));
  assert.deepEqual(decodeBase64Url('_-8'), new Uint8Array([0xff, 0xef]));
});
