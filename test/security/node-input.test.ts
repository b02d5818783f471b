import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadCompose } from '@cluster/core';
import { pki, writeAdmin } from '@cluster/manager';
import { run } from '@cluster/cli';
import { Firewall, RegistryView, joinCluster, type Iptables, type NodeCredentials } from '@cluster/agent';
import { call, openSession, refusal, startTestManager, within, type Peer, type TestManager } from './harness.js';

/** INJECTED is the address of the probe: it put an INPUT rule on the manager's host through iptables-restore. */
const INJECTED = '10.9.9.9/32 -j RETURN\n-I INPUT 1 -s 198.51.100.77';

/** waitFor polls `ok` every 50 ms for at most `ms`. */
async function waitFor(ok: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('node input: what a node sends is checked by the manager and again by the agent', { timeout: 90_000 }, () => {
  let m: TestManager;
  let home: string;
  before(async () => {
    m = await startTestManager();
    home = join(m.dir, 'home');
    writeAdmin(join(home, 'credentials'), m.admin);
    writeFileSync(join(home, 'config.json'), JSON.stringify({
      manager: m.address, caFile: join(home, 'credentials/ca.crt'), certFile: join(home, 'credentials/admin.crt'), keyFile: join(home, 'credentials/admin.key'),
    }));
  });
  after(async () => {
    await m?.stop();
  });

  const admin = (): Peer => ({ caPem: m.admin.caPem, certPem: m.admin.certPem, keyPem: m.admin.keyPem });
  const node = (c: NodeCredentials): Peer => ({ caPem: c.caPem, certPem: c.certPem, keyPem: c.keyPem });
  const token = async (): Promise<string> => (await call('Control', m.address, admin(), 'GetJoinToken', { role: 'worker' })).token;
  const newNode = async (name: string, advertise: string): Promise<NodeCredentials> =>
    joinCluster({ manager: m.address, token: await token(), name, hostname: name, advertise, labels: {} });
  const cli = async (args: string[]) => {
    let out = '';
    let err = '';
    const code = await run(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, env: { CLUSTER_HOME: home }, cwd: m.dir });
    return { code, out, err };
  };
  const deploy = async (stack: string, yaml: string): Promise<void> => {
    const { spec } = loadCompose(yaml, { file: 'stack.yml', stackName: stack });
    await call('Control', m.address, admin(), 'DeployStack', { name: stack, specJson: JSON.stringify(spec), dryRun: false });
  };

  test('a join with an address that is not an IP address is refused and makes no node', async () => {
    for (const bad of [INJECTED, 'not-an-ip', '10.0.0.1 ', 'fe80::1%eth0', '10.0.0.0/8']) {
      const { csrPem } = await pki.createKeyAndCsr('x');
      await assert.rejects(
        call('Dispatcher', m.address, { caPem: m.identity.ca.certPem }, 'Join', { token: await token(), csrPem, name: 'injector', hostname: 'injector', advertiseAddress: bad, labels: {} }),
        refusal(grpc.status.INVALID_ARGUMENT, /^join: advertise address ".*" is not an IP address \(give --advertise an IPv4 or IPv6 address\)$/),
      );
    }
    assert.ok(!m.store.allNodes().some((n) => n.name === 'injector'));
  });

  test('a session hello with an injected address is refused, the node keeps its address, and no rule of any node holds the injected text', async () => {
    const mallory = await newNode('mallory', '192.0.2.10');
    const observer = await newNode('observer', '192.0.2.20');
    // The observer's registry view, fed from its real session, is what its firewall builds rules from.
    const view = new RegistryView();
    const so = openSession(m.address, node(observer), [], { advertiseAddress: '192.0.2.20' });
    so.stream.on('data', (msg: { registry?: Parameters<RegistryView['apply']>[0] }) => { if (msg.registry) view.apply(msg.registry); });
    const sm = openSession(m.address, node(mallory), [], { advertiseAddress: '192.0.2.10' });
    const probes = [so, sm];
    try {
      await within(Promise.all([so.accepted, sm.accepted]), 5000, 'sessions');
      await deploy('inject', 'services:\n  web:\n    image: example/web\n    ports: ["8080:80"]\n    deploy:\n      placement:\n        constraints: ["node.hostname==mallory"]\n');
      await waitFor(() => m.store.allTasks().some((t) => t.stack === 'inject' && t.nodeId === mallory.nodeId));
      const task = m.store.allTasks().find((t) => t.stack === 'inject')!;
      sm.stream.write({ status: { statuses: [{ taskId: task.id, state: 'running', containerId: 'c1', error: '', exitCode: 0, health: '', observedAtMs: Date.now(), ports: [{ target: 80, protocol: 'tcp', hostPort: 33001 }] }] } });
      await waitFor(() => view.all().some((e) => e.endpoints.some((ep) => ep.nodeAddress === '192.0.2.10')));

      // The attack: a second session of the same node whose hello carries the injected address.
      const evil = openSession(m.address, node(mallory), [], { advertiseAddress: INJECTED });
      probes.push(evil);
      const end = await within(evil.ended, 5000, 'injected hello');
      assert.equal(end.code, grpc.status.INVALID_ARGUMENT);
      assert.equal(end.details, 'session: hello: advertise address "10.9.9.9/32 -j RETURN\\n-I INPUT 1 -s 198.51.100.77" is not an IP address (give --advertise an IPv4 or IPv6 address)');
      assert.equal(m.store.node(mallory.nodeId)?.address, '192.0.2.10');
      assert.ok(m.logs.some((l) => l.includes(`session of node ${mallory.nodeId} refused: session: hello: advertise address`)));
      assert.ok(m.logs.every((l) => !l.includes(INJECTED)), 'the raw address is never logged');

      // A merely invalid address is refused the same way (it made iptables-restore fail on every node).
      const invalid = openSession(m.address, node(mallory), [], { advertiseAddress: 'mallory.example' });
      probes.push(invalid);
      assert.equal((await within(invalid.ended, 5000, 'invalid hello')).code, grpc.status.INVALID_ARGUMENT);

      // The rules the observer's firewall makes from its view: mallory's endpoint at its real address, nothing else.
      await new Promise((r) => setTimeout(r, 1500));
      const inputs: string[] = [];
      const iptables: Iptables = async (command, _args, input) => {
        if (command === 'iptables-restore') inputs.push(input ?? '');
        return '';
      };
      const fw = new Firewall({ nodeId: observer.nodeId, log: () => undefined, iptables, checkMs: 60_000 });
      await fw.start();
      await fw.update(view.all());
      await fw.stop();
      const rules = inputs.at(-1) ?? '';
      assert.match(rules, /-d 192\.0\.2\.10\/32 -p tcp -m tcp --dport 33001 -j REJECT/);
      assert.ok(!rules.includes('198.51.100.77') && !rules.includes('10.9.9.9'), rules);
      assert.ok(JSON.stringify(m.manager.registry.snapshot()).indexOf('198.51.100.77') < 0);
    } finally {
      for (const p of probes) p.close();
    }
  });

  test('a hello with resources that are not whole numbers of 0 or more is refused', async () => {
    const n = await newNode('greedy', '192.0.2.30');
    const s = openSession(m.address, node(n), [], { nanoCpus: -1 });
    try {
      const end = await within(s.ended, 5000, 'negative resources');
      assert.equal(end.code, grpc.status.INVALID_ARGUMENT);
      assert.equal(end.details, 'session: hello nanoCpus -1 is not a whole number of 0 or more');
    } finally {
      s.close();
    }
  });

  test('escape sequences a node sends come out escaped in cluster nodes; a 1.6 MB task error is clipped and cluster ps works', async () => {
    const n = await newNode('painter', '192.0.2.40');
    const s = openSession(m.address, node(n), [], { advertiseAddress: '192.0.2.40', engineVersion: '\x1b]0;pwned\x07\x1b[2J' });
    try {
      await within(s.accepted, 5000, 'session');
      const listed = await cli(['nodes']);
      assert.equal(listed.code, 0, listed.err);
      // eslint-disable-next-line no-control-regex
      assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(listed.out), JSON.stringify(listed.out));
      const row = listed.out.split('\n').find((l) => l.includes('painter')) ?? '';
      assert.ok(row.endsWith('\\e]0;pwned\\x07\\e[2J'), row);
      const asJson = await cli(['nodes', '--format', 'json']);
      assert.equal((JSON.parse(asJson.out) as { name: string; engineVersion: string }[]).find((x) => x.name === 'painter')?.engineVersion, '\\e]0;pwned\\x07\\e[2J');

      await deploy('loud', 'services:\n  web:\n    image: example/web\n    deploy:\n      placement:\n        constraints: ["node.hostname==painter"]\n');
      await waitFor(() => m.store.allTasks().some((t) => t.stack === 'loud' && t.nodeId === n.nodeId));
      const task = m.store.allTasks().find((t) => t.stack === 'loud')!;
      const huge = `\x1b[2J${'E'.repeat(1_600_000)}`;
      s.stream.write({ status: { statuses: [{ taskId: task.id, state: 'failed', containerId: 'c1', error: huge, exitCode: 1, health: '', observedAtMs: Date.now(), ports: [] }] } });
      await waitFor(() => m.store.task(task.id)?.state === 'failed');
      assert.ok((m.store.task(task.id)?.error.length ?? 0) <= 4096);
      const ps = await cli(['ps', 'loud', '--all']);
      assert.equal(ps.code, 0, ps.err);
      // eslint-disable-next-line no-control-regex
      assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(ps.out));
      const line = ps.out.split('\n').find((l) => l.startsWith(task.id)) ?? '';
      assert.match(line, /\\e\[2JE+… \(\d+ more characters\)$/);
      assert.ok(line.length < 400, `${line.length}`);
      const psJson = await cli(['ps', 'loud', '--all', '--format', 'json']);
      const error = (JSON.parse(psJson.out) as { id: string; error: string }[]).find((t) => t.id === task.id)?.error ?? '';
      assert.ok(error.length <= 4096 && error.startsWith('\x1b[2JEEE'), `${error.length}`);
      assert.match(error, /… \(1595\d{3} more characters\)$/);
    } finally {
      s.close();
    }
  });
});
