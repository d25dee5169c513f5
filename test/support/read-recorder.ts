// A DynamoDB client that passes every command to `inner` and tells `record` of each read the edge
// makes (test/edge-serial.test.ts, bench/zipf-instance.ts count them): a GetItem by item name, or
// a BatchGetItem, marked when it reads the change log.
import { BatchGetItemCommand, GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CHANGE_LOG_PREFIX } from '../../functions/store/dynamodb/codec-change-log.ts';

export type EdgeRead =
  { op: 'GetItem'; name: string; cluster: string } | { op: 'BatchGetItem'; changeLog: boolean };

export function readRecorder(
  inner: Pick<DynamoDBClient, 'send'>,
  record: (read: EdgeRead) => void,
): Pick<DynamoDBClient, 'send'> {
  return {
    send: ((command: unknown) => {
      if (command instanceof GetItemCommand)
        record({
          op: 'GetItem',
          name: command.input.Key?.name?.S ?? '',
          cluster: command.input.Key?.cluster?.S ?? '',
        });
      if (command instanceof BatchGetItemCommand) {
        const first = Object.values(command.input.RequestItems ?? {})[0]?.Keys?.[0]?.name?.S ?? '';
        record({ op: 'BatchGetItem', changeLog: first.startsWith(CHANGE_LOG_PREFIX) });
      }
      return inner.send(command as GetItemCommand);
    }) as DynamoDBClient['send'],
  };
}
