import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Firewall, type Iptables } from './firewall.js';
import { entry, view } from './testing.js';

test('the firewall applies a burst of views once per change, checks its jumps, removes dead agents\' rules and its own on stop', async () => {
  const calls: string[] = [];
  let listing = `-A INPUT -m comment --comment "cluster agent pid 999999" -j CLUSTER-dead-IN\n`;
  const rules: string[] = [];
  const iptables: Iptables = (cmd, args, input) => {
    calls.push(`${cmd} ${args.join(' ')}`);
    if (cmd === 'iptables-restore') rules.push(input ?? '');
    // The whole filter table holds a dead agent's jump; DOCKER-USER exists; no jump of ours is there yet.
    if (args.join(' ') === '-t filter -S') return Promise.resolve(listing);
    if (args.includes('-S')) return Promise.resolve('');
    if (args.includes('-D')) {
      if (!args.includes('cluster agent pid 999999')) return Promise.reject(new Error('no such rule'));
      listing = '';
    }
    return Promise.resolve('');
  };
  const fw = new Firewall({ nodeId: 'me', log: () => undefined, iptables, checkMs: 60000, alive: (pid) => pid !== 999999 });
  await fw.start();
  assert.ok(calls.includes('iptables -t filter -D INPUT -m comment --comment cluster agent pid 999999 -j CLUSTER-dead-IN'), calls.join('\n'));
  assert.ok(calls.includes('iptables -t filter -X CLUSTER-dead-IN'));
  assert.ok(calls.includes(`iptables -t filter -I INPUT 1 -m comment --comment cluster agent pid ${process.pid} -j CLUSTER-me-IN`));
  assert.ok(calls.includes(`iptables -t filter -I DOCKER-USER 1 -m comment --comment cluster agent pid ${process.pid} -j CLUSTER-me-FWD`));
  assert.ok(calls.includes(`iptables -t nat -I PREROUTING 1 -m comment --comment cluster agent pid ${process.pid} -j CLUSTER-me-NAT`));
  void fw.update(view.slice(0, 1));
  void fw.update(view.slice(0, 2));
  await fw.update(view);
  assert.equal(rules.length, 2, 'the empty chains, then the last view of the burst');
  assert.match(rules[1] ?? '', /--ctorigdstport 33002/);
  await fw.update(view);
  assert.equal(rules.length, 2, 'an unchanged view is not applied again');
  await fw.observe([{ taskId: 'starting', ports: [{ target: 80, protocol: 'tcp', hostPort: 34000 }] }]);
  assert.match(rules.at(-1) ?? '', /--dport 34000 /, 'a running task not in the registry yet');
  assert.match(rules.at(-1) ?? '', /--ctorigdstport 33002/, 'with the registry view');
  const n = rules.length;
  await fw.observe([{ taskId: 'starting', ports: [{ target: 80, protocol: 'tcp', hostPort: 34000 }] }]);
  assert.equal(rules.length, n, 'the same ports again change nothing');
  await fw.observe([{ taskId: 'starting' }]);
  assert.doesNotMatch(rules.at(-1) ?? '', /--dport 34000 /, 'a stopped task');
  calls.length = 0;
  await fw.stop();
  for (const c of ['-t filter -X CLUSTER-me-IN', '-t filter -X CLUSTER-me-FWD', '-t nat -X CLUSTER-me-NAT']) assert.ok(calls.includes(`iptables ${c}`), calls.join('\n'));
  assert.ok(calls.some((c) => c.startsWith('iptables -t filter -D INPUT')));
  assert.ok(calls.some((c) => c.startsWith('iptables -t nat -D PREROUTING')));
});

test('the firewall logs a dropped endpoint address once, escaped, and still applies the other rules', async () => {
  const logs: string[] = [];
  const inputs: string[] = [];
  const iptables: Iptables = async (command, _args, input) => {
    if (command === 'iptables-restore') inputs.push(input ?? '');
    return '';
  };
  const fw = new Firewall({ nodeId: 'me', log: (m) => logs.push(m), iptables, checkMs: 60_000 });
  await fw.start();
  const bad = entry('a_web', {
    ports: [{ target: 80, published: 0, protocol: 'tcp', mode: 'ingress' }],
    endpoints: [
      { taskId: 'x', nodeId: 'evil', nodeAddress: '1.2.3.4\n-P INPUT DROP', slot: 1, ports: [{ target: 80, protocol: 'tcp', hostPort: 33001 }] },
      { taskId: 'y', nodeId: 'other', nodeAddress: '10.0.0.2', slot: 2, ports: [{ target: 80, protocol: 'tcp', hostPort: 33009 }] },
    ],
  });
  await fw.update([bad]);
  await fw.update([{ ...bad, shortName: 'again' }]);
  await fw.stop();
  assert.equal(logs.filter((l) => l.includes('not an IPv4 address')).length, 1, logs.join('\n'));
  assert.ok(logs.some((l) => l.includes('"1.2.3.4\\n-P INPUT DROP" is not an IPv4 address; left out of the rules')), logs.join('\n'));
  const last = inputs.at(-1) ?? '';
  assert.ok(last.includes('-d 10.0.0.2/32 -p tcp -m tcp --dport 33009'), last);
  assert.ok(!inputs.some((i) => i.includes('-P INPUT') || i.includes('1.2.3.4')));
});
