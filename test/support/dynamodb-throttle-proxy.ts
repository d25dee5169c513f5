// An HTTP proxy on 127.0.0.1 in front of dynalite that passes DynamoDB calls through unchanged,
// counting them by operation (X-Amz-Target), and answers chosen calls as a throttled DynamoDB
// does: HTTP 400 with ProvisionedThroughputExceededException (DynamoDB developer guide, "Error
// handling"). For a process under test (the sync) pointed at it with --dynamodb-endpoint.
// `behave` turns every call into one failure until told otherwise: a stalled DynamoDB (the
// request is read, never answered), a 500, or ThrottlingException.
import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DynamoDbThrottleProxy {
  endpoint: string;
  /** Operations seen (`BatchWriteItem`, `GetItem`, ...), in order, throttled ones included. */
  calls: string[];
  /** The next `n` calls of `operation` are throttled. */
  throttle(operation: string, n: number): void;
  /** Every call from now on: passed through, stalled, answered 500, or throttled. Going back to
   *  'pass' closes the stalled calls' connections. */
  behave(behaviour: StoreBehaviour): void;
  /** Stalled calls whose client has not yet given up (closed the connection). */
  stalledOpen(): number;
  close(): Promise<void>;
}

export type StoreBehaviour = 'pass' | 'stall' | '500' | 'throttle';

const json = { 'content-type': 'application/x-amz-json-1.0' };

export async function startDynamoDbThrottleProxy(target: string): Promise<DynamoDbThrottleProxy> {
  const calls: string[] = [];
  const throttled = new Map<string, number>();
  const stalled = new Set<ServerResponse>();
  let behaviour: StoreBehaviour = 'pass';
  const server = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? '').replace(/^DynamoDB_\d+\./, '');
    calls.push(operation);
    if (behaviour !== 'pass') req.resume();
    if (behaviour === 'stall') {
      stalled.add(res);
      return void res.once('close', () => stalled.delete(res));
    }
    if (behaviour === '500')
      return void res
        .writeHead(500, json)
        .end(JSON.stringify({ __type: 'com.amazon.coral.service#InternalFailure' }));
    if (behaviour === 'throttle')
      return void res.writeHead(400, json).end(
        JSON.stringify({
          __type: 'com.amazon.coral.availability#ThrottlingException',
          message: 'Rate of requests exceeds the allowed throughput.',
        }),
      );
    const left = throttled.get(operation) ?? 0;
    if (left > 0) {
      throttled.set(operation, left - 1);
      req.resume();
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'The level of configured provisioned throughput for the table was exceeded.',
        }),
      );
      return;
    }
    const up = httpRequest(
      `${target}${req.url}`,
      { method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    throttle: (operation, n) => void throttled.set(operation, n),
    behave(b) {
      behaviour = b;
      if (b !== 'stall') for (const res of stalled) res.destroy();
    },
    stalledOpen: () => stalled.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of stalled) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
