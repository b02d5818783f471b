import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskStatus__Output } from '@cluster/api';
import { boundedStatus, checkHello, checkHostname, checkLabels, checkNodeAddress, isNodeAddress, NODE_INPUT_LIMITS } from './nodeInput.js';

test('a node address is a plain IPv4 or IPv6 address and nothing else', () => {
  for (const ok of ['10.0.0.1', '192.0.2.10', '::1', 'fd00::4', '::ffff:127.0.0.1']) assert.ok(isNodeAddress(ok), ok);
  for (const bad of ['10.9.9.9/32 -j RETURN\n-I INPUT 1 -s 198.51.100.77', '10.0.0.1 ', ' 10.0.0.1', '10.0.0.256', 'fe80::1%eth0', 'host.example', '10.0.0.0/8', '']) {
    assert.ok(!isNodeAddress(bad), JSON.stringify(bad));
  }
  assert.equal(checkNodeAddress('join', ''), '');
  assert.throws(() => checkNodeAddress('join', 'a\x1b[2Jb'), { code: 'invalid_argument', message: 'join: advertise address "a\\e[2Jb" is not an IP address (give --advertise an IPv4 or IPv6 address)' });
});

test('host names and labels are bounded and printable', () => {
  assert.equal(checkHostname('join', 'web-1.example_x'), 'web-1.example_x');
  assert.throws(() => checkHostname('join', 'a b'), /join: invalid host name "a b"/);
  assert.throws(() => checkHostname('join', 'x'.repeat(254)), /at most 253/);
  assert.deepEqual(checkLabels('join', { zone: 'eu', 'a/b.c': 'x y' }), { zone: 'eu', 'a/b.c': 'x y' });
  assert.throws(() => checkLabels('join', { zone: 'eu\nrole=manager' }), /join: invalid value "eu\\nrole=manager" of label zone/);
  assert.throws(() => checkLabels('join', { '-x': '1' }), /invalid label key "-x"/);
  assert.throws(() => checkLabels('join', Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']))), /65 labels \(at most 64\)/);
});

test('a hello is read as untrusted input: address checked, resources whole numbers, engine version clipped and escaped', () => {
  const hello = { hostname: 'h', advertiseAddress: '10.0.0.1', engineVersion: '\x1b]0;pwned\x07\x1b[2J', nanoCpus: 2e9, memoryBytes: 1e9 };
  assert.deepEqual(checkHello(hello), { address: '10.0.0.1', hostname: 'h', engineVersion: '\\e]0;pwned\\x07\\e[2J', nanoCpus: 2e9, memoryBytes: 1e9 });
  assert.ok(checkHello({ ...hello, engineVersion: 'v'.repeat(10_000) }).engineVersion.length <= NODE_INPUT_LIMITS.engineVersion);
  assert.throws(() => checkHello({ ...hello, memoryBytes: 1.5 }), /session: hello memoryBytes 1.5 is not a whole number/);
  assert.throws(() => checkHello({ ...hello, advertiseAddress: '1.2.3.4\n-P INPUT DROP' }), { code: 'invalid_argument' });
});

test('a task status has its error and container id bounded; a small one is returned as is', () => {
  const s: TaskStatus__Output = { taskId: 't', state: 'failed', containerId: 'c', error: 'boom', exitCode: 1, health: '', observedAtMs: 0, ports: [], networks: [] };
  assert.equal(boundedStatus(s), s);
  const big = boundedStatus({ ...s, error: 'e'.repeat(1_600_000), containerId: `c\x1b${'x'.repeat(500)}` });
  assert.ok(big.error.length <= NODE_INPUT_LIMITS.taskError);
  assert.match(big.error, /… \(\d+ more characters\)$/);
  assert.ok(big.containerId.length <= NODE_INPUT_LIMITS.containerId + 2 && big.containerId.startsWith('c\\e'));
});
