/**
 * `cluster init` gives its local agent a single-use, short-lived token: what
 * is left in the agent's environment cannot join another node.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { joinCluster } from '@cluster/agent';
import { TestCluster } from '../support/cluster.js';

describe('the token init hands to its local agent', { timeout: 120_000 }, () => {
  let c: TestCluster;
  before(async () => {
    c = await TestCluster.start();
  });
  after(() => c?.stop());

  test('is single-use and lives minutes: spent by the local agent, refused to anyone after', async () => {
    const environ = readFileSync(`/proc/${c.agentPid()}/environ`, 'utf8').split('\0');
    const token = environ.find((e) => e.startsWith('CLUSTER_JOIN_TOKEN='))?.slice('CLUSTER_JOIN_TOKEN='.length) ?? '';
    assert.ok(token.startsWith('CLUSTER-1-'), 'the agent got its token through the environment');
    const payload = JSON.parse(Buffer.from(token.slice('CLUSTER-1-'.length).split('.')[1]!, 'base64url').toString('utf8')) as { exp: number; iat: number; sut?: boolean };
    assert.equal(payload.sut, true, 'single-use (claim sut)');
    assert.ok(payload.exp - payload.iat <= 10 * 60, `lives ${payload.exp - payload.iat} s`);
    await assert.rejects(
      joinCluster({ manager: `127.0.0.1:${c.port}`, token, name: 'intruder', hostname: 'intruder', advertise: '127.0.0.1', labels: {} }),
      /already used/,
    );
    const nodes = c.json<{ name: string }[]>(['nodes']);
    assert.deepEqual(nodes.map((n) => n.name), [c.nodeName], 'no second node joined');
  });
});
