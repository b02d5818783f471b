import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ManagedContainer, Observation } from './executor.js';
import { makeAssignment } from './fake-executor.js';
import { containerState, hasHealthcheck, nextObservation, sameObservation } from './observation.js';

const container = (parts: Partial<ManagedContainer>): ManagedContainer => ({
  containerId: 'c1', taskId: 't1', stack: 's', service: 's_web', slot: 1, specVersion: 1,
  running: false, exitCode: 0, startedAt: '', health: '', error: '', ...parts,
});

test('a container shows running, starting (never started), complete (exit 0) or failed (with its code)', () => {
  const ports = [{ target: 80, protocol: 'tcp' as const, hostPort: 30001 }];
  assert.deepEqual(containerState(container({ running: true, startedAt: 'x', health: 'healthy', ports })), { state: 'running', fields: { health: 'healthy', error: '', ports, networks: [] } });
  assert.deepEqual(containerState(container({ error: 'no such file' })), { state: 'starting', fields: { error: 'no such file' } });
  assert.deepEqual(containerState(container({ startedAt: 'x' })), { state: 'complete', fields: { exitCode: 0, health: '', error: '' } });
  assert.deepEqual(containerState(container({ startedAt: 'x', exitCode: 137 })), { state: 'failed', fields: { exitCode: 137, health: '', error: 'exited with code 137' } });
  assert.equal(containerState(container({ startedAt: 'x', exitCode: 1, error: 'oom' })).fields.error, 'oom');
});

test('an observation keeps error, exit code and health within a state, and ports and networks only while running', () => {
  const ports = [{ target: 80, protocol: 'tcp' as const, hostPort: 30001 }];
  const networks = [{ network: 's_default', address: '10.128.0.2', mac: '02:42:0a:80:00:02' }];
  const running = nextObservation(undefined, 't1', 'c1', 'running', { health: 'starting', ports, networks }, 1);
  assert.deepEqual(running, { taskId: 't1', state: 'running', containerId: 'c1', error: '', exitCode: 0, health: 'starting', observedAt: 1, ports, networks });
  const healthy = nextObservation(running, 't1', 'c1', 'running', { health: 'healthy' }, 2);
  assert.deepEqual(healthy.ports, ports, 'ports carry over while the task runs');
  assert.deepEqual(healthy.networks, networks);
  const failed = nextObservation(healthy, 't1', 'c1', 'failed', { exitCode: 2, error: 'exited with code 2' }, 3);
  assert.equal(failed.ports, undefined, 'no ports once it stopped');
  assert.equal(failed.networks, undefined);
  assert.equal(failed.health, '', 'health does not carry over into another state');
  const again = nextObservation(failed, 't1', '', 'failed', { containerId: '' }, 4);
  assert.equal(again.error, 'exited with code 2', 'the error carries over within the state');
  assert.equal(again.exitCode, 2);
  assert.equal(again.containerId, '');
});

test('observations that differ only in their time say the same', () => {
  const a: Observation = { taskId: 't1', state: 'running', containerId: 'c1', error: '', exitCode: 0, health: '', observedAt: 1, ports: [{ target: 80, protocol: 'tcp', hostPort: 1 }] };
  assert.equal(sameObservation(a, { ...a, observedAt: 2 }), true);
  assert.equal(sameObservation(a, { ...a, health: 'healthy' }), false);
  assert.equal(sameObservation(a, { ...a, ports: [{ target: 80, protocol: 'tcp', hostPort: 2 }] }), false);
  assert.equal(sameObservation(a, { ...a, ports: undefined }), false);
});

test('a spec has a healthcheck unless it has none or NONE', () => {
  assert.equal(hasHealthcheck(makeAssignment({})), false);
  assert.equal(hasHealthcheck(makeAssignment({ spec: { healthcheck: { test: ['CMD', 'true'], intervalMs: 1000, timeoutMs: 1000, retries: 1, startPeriodMs: 0 } } })), true);
  assert.equal(hasHealthcheck(makeAssignment({ spec: { healthcheck: { test: ['NONE'], intervalMs: 1000, timeoutMs: 1000, retries: 1, startPeriodMs: 0 } } })), false);
});
