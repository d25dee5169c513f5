// FrameReader / frame: the 2-byte length framing of DNS over TCP (RFC 1035 §4.2.2, RFC 7766 §8),
// whatever way the byte stream is cut into chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameReader, frame } from './tcp-framing.ts';

/** A message of `length` bytes whose content tells its position (to catch mixed-up slices). */
function message(length: number, seed = 0): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + seed) & 0xff;
  return out;
}

/** Feeds `stream` cut at `cuts` (offsets) and returns every message read, in order. */
function readAll(stream: Buffer, cuts: number[]): { messages: Buffer[]; pending: number } {
  const reader = new FrameReader();
  const messages: Buffer[] = [];
  let from = 0;
  for (const to of [...cuts, stream.length]) {
    messages.push(...reader.push(stream.subarray(from, to)));
    from = to;
  }
  return { messages, pending: reader.pending };
}

const oneByteAtATime = (n: number) => Array.from({ length: n }, (_, i) => i + 1).slice(0, -1);

test('frame prefixes the 2-byte big-endian length', () => {
  const cases: { length: number; head: number[] }[] = [
    { length: 0, head: [0, 0] },
    { length: 1, head: [0, 1] },
    { length: 12, head: [0, 12] },
    { length: 256, head: [1, 0] },
    { length: 65535, head: [0xff, 0xff] },
  ];
  for (const { length, head } of cases) {
    const body = message(length);
    const framed = frame(body);
    assert.equal(framed.length, length + 2, `length ${length}`);
    assert.deepEqual([...framed.subarray(0, 2)], head, `length ${length}`);
    assert.ok(framed.subarray(2).equals(body), `length ${length}`);
  }
});

test('FrameReader reads the same messages however the stream is cut', () => {
  const bodies = [message(12, 1), message(0), message(40, 2), message(1, 3), message(300, 4)];
  const stream = Buffer.concat(bodies.map(frame));
  const cases: { name: string; cuts: number[] }[] = [
    { name: 'one chunk with several messages', cuts: [] },
    { name: 'one byte at a time', cuts: oneByteAtATime(stream.length) },
    { name: 'cut inside a length prefix', cuts: [1, 15, 17] },
    { name: 'cut right after each length prefix', cuts: [2, 16, 18, 60] },
    { name: 'cut at message boundaries', cuts: [14, 16, 58, 61] },
    { name: 'uneven chunks', cuts: [5, 6, 50, 51, 52, 200] },
  ];
  for (const { name, cuts } of cases) {
    const { messages, pending } = readAll(stream, cuts);
    assert.equal(messages.length, bodies.length, name);
    messages.forEach((m, i) => assert.ok(m.equals(bodies[i] as Buffer), `${name}: message ${i}`));
    assert.equal(pending, 0, name);
  }
});

test('FrameReader returns nothing until a message is complete, and counts what it holds', () => {
  const reader = new FrameReader();
  const framed = frame(message(20));
  assert.deepEqual(reader.push(framed.subarray(0, 1)), []);
  assert.equal(reader.pending, 1);
  assert.deepEqual(reader.push(framed.subarray(1, 10)), []);
  assert.equal(reader.pending, 10);
  const done = reader.push(framed.subarray(10));
  assert.equal(done.length, 1);
  assert.equal(reader.pending, 0);
});

test('FrameReader reads a zero-length message as an empty buffer', () => {
  const reader = new FrameReader();
  const out = reader.push(Buffer.from([0, 0, 0, 0]));
  assert.equal(out.length, 2);
  for (const m of out) assert.equal(m.length, 0);
  assert.equal(reader.pending, 0);
});

test('FrameReader reads a 65535-byte message, in one chunk and in small chunks', () => {
  const body = message(65535, 9);
  const framed = frame(body);
  const cases: { name: string; cuts: number[] }[] = [
    { name: 'one chunk', cuts: [] },
    { name: '1000-byte chunks', cuts: Array.from({ length: 65 }, (_, i) => (i + 1) * 1000) },
    { name: 'one byte at a time', cuts: oneByteAtATime(framed.length) },
  ];
  for (const { name, cuts } of cases) {
    const { messages, pending } = readAll(Buffer.concat([framed, frame(message(3))]), cuts);
    assert.equal(messages.length, 2, name);
    assert.ok(messages[0]?.equals(body), name);
    assert.equal(pending, 0, name);
  }
});

test('FrameReader holds a partial 65535-byte message without returning it', () => {
  const reader = new FrameReader();
  const partial = frame(message(65535)).subarray(0, 65535 + 1);
  assert.deepEqual(reader.push(partial), []);
  assert.equal(reader.pending, 65536);
  assert.equal(reader.push(Buffer.from([0xab])).length, 1);
});
