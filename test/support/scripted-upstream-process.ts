// The scripted upstream (scripted-upstream.ts) as a process of its own, for a test that needs it
// inside a network namespace it made:
//   ip netns exec NS node --import tsx test/support/scripted-upstream-process.ts HOST PORT SCRIPT
// SCRIPT is JSON: [{ "name": "example.com", "type": "A", "answers": [["A", "192.0.2.1", 300]] }].
// Prints `listening HOST:PORT`, then `query TRANSPORT NAME TYPE` for each query it receives (the
// test counts them); stops on SIGTERM.
import { startScriptedUpstream, answer, type Behaviour } from './scripted-upstream.ts';
import type { Answer, RecordType } from 'dns-packet';

interface Scripted {
  name: string;
  type: RecordType;
  answers: [type: 'A' | 'AAAA', data: string, ttl: number][];
}

const [host = '127.0.0.1', port = '0', script = '[]'] = process.argv.slice(2);
const up = await startScriptedUpstream({ host, port: Number(port) });
for (const s of JSON.parse(script) as Scripted[]) {
  const records = s.answers.map(([type, data, ttl]): Answer => ({
    type,
    name: s.name,
    ttl,
    class: 'IN',
    data,
  }));
  const behaviour: Behaviour = answer(records);
  up.script(s.name, s.type, behaviour);
}
console.log(`listening ${up.address}`);
let seen = 0;
const report = () => {
  for (; seen < up.log.length; seen++) {
    const q = up.log[seen]!;
    console.log(`query ${q.transport} ${q.name} ${q.type}`);
  }
};
// Every logged query is printed once, as soon as it arrives (nextQuery gives up after a while
// without one; then it is simply asked again).
for (;;) {
  await up.nextQuery((q) => up.log.indexOf(q) >= seen).catch(() => undefined);
  report();
}
