import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { LineWriter } from './line-writer.ts';

/** A stream that takes `room` writes before it reports backpressure, then drains when told. */
class SlowStream extends EventEmitter {
  chunks: string[] = [];
  room: number;
  constructor(room: number) {
    super();
    this.room = room;
  }
  write(chunk: Uint8Array, done?: () => void): boolean {
    this.chunks.push(Buffer.from(chunk).toString());
    queueMicrotask(() => done?.());
    return --this.room > 0;
  }
  drain(room: number) {
    this.room = room;
    this.emit('drain');
  }
  lines() {
    return this.chunks.join('').split('\n').slice(0, -1);
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const dropped = (n: number) => `dropped ${n}`;

test('lines written in one turn go out as one chunk, after the turn', async () => {
  const out = new SlowStream(100);
  const w = new LineWriter(out, { maxBufferedChars: 1000, droppedLine: dropped });
  w.write('a');
  w.write('b');
  assert.deepEqual(out.chunks, [], 'nothing is written while serving');
  await turn();
  w.write('c');
  await turn();
  assert.deepEqual(out.chunks, ['a\nb\n', 'c\n']);
  assert.equal(w.written, 3);
});

test('while the stream is busy, lines are held up to the bound, then dropped and counted', async () => {
  const out = new SlowStream(1);
  // Each line is 9 characters and a newline: 3 fit in 30.
  const w = new LineWriter(out, { maxBufferedChars: 30, droppedLine: dropped });
  w.write('line-0000');
  await turn();
  assert.equal(out.chunks.length, 1, 'first chunk written; the stream now reports backpressure');
  for (let i = 1; i <= 10; i++) w.write(`line-000${i}`.slice(0, 9));
  await turn();
  await turn();
  assert.equal(out.chunks.length, 1, 'nothing more is written until drain');
  assert.equal(w.dropped, 7);
  out.drain(10);
  assert.deepEqual(out.lines(), ['line-0000', 'line-0001', 'line-0002', 'line-0003', 'dropped 7']);
  w.write('after');
  await turn();
  assert.deepEqual(out.lines().slice(-1), ['after'], 'no second report: the count was reset');
  assert.equal(w.written, 5);
  assert.equal(w.dropped, 7);
});

test('a flood never holds more than the bound', async () => {
  const out = new SlowStream(1);
  const w = new LineWriter(out, { maxBufferedChars: 10_000, droppedLine: dropped });
  w.write('x'.repeat(99));
  await turn();
  for (let i = 0; i < 100_000; i++) w.write('y'.repeat(99));
  assert.equal(w.dropped, 100_000 - 100, '100 lines of 100 characters fit in 10,000');
  out.drain(100);
  assert.equal(out.chunks.length, 2);
  assert.ok(out.chunks[1]!.length <= 10_000 + 100, 'the chunk is the bound plus the report');
  assert.equal(out.lines().at(-1), 'dropped 99900');
});

test('close writes what is held, even while draining, and waits for the stream', async () => {
  const out = new SlowStream(1);
  const w = new LineWriter(out, { maxBufferedChars: 1000, droppedLine: dropped });
  w.write('a');
  await turn();
  w.write('b');
  await w.close();
  assert.deepEqual(out.lines(), ['a', 'b']);
  await w.close(); // nothing held: resolves at once
});

test('with flushMs, lines are held for the interval, or until flushChars are held', async () => {
  const out = new SlowStream(100);
  const w = new LineWriter(out, {
    maxBufferedChars: 1000,
    droppedLine: dropped,
    flushMs: 300,
    flushChars: 10,
  });
  w.write('a');
  w.write('b');
  await turn();
  assert.deepEqual(out.chunks, [], 'held past the turn: 4 characters, under flushChars');
  const deadline = Date.now() + 5000;
  while (out.chunks.length === 0 && Date.now() < deadline) await turn();
  assert.deepEqual(out.chunks, ['a\nb\n'], 'written once the interval passed');
  w.write('0123456789');
  await turn();
  assert.deepEqual(out.chunks.at(-1), '0123456789\n', 'flushChars held: written after the turn');
  w.write('c');
  await w.close();
  assert.deepEqual(out.lines(), ['a', 'b', '0123456789', 'c'], 'close writes what the timer held');
  assert.equal(w.written, 4);
});

test('writeWith: a line filled in place joins the others in order; over the bound it is dropped', async () => {
  const out = new SlowStream(100);
  const w = new LineWriter(out, { maxBufferedChars: 40, droppedLine: dropped });
  const ascii = (text: string) => (buf: Buffer, at: number) => at + buf.write(text, at, 'latin1');
  w.write('first');
  w.writeWith(12, ascii('in place'));
  w.writeWith(30, ascii('too big for what is left'));
  w.write('last');
  await turn();
  assert.deepEqual(out.lines(), ['first', 'in place', 'last', 'dropped 1']);
  assert.equal(w.written, 3);
  assert.equal(w.dropped, 1);
});
