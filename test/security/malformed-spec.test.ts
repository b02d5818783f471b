/**
 * A malformed stack spec cannot wedge orchestration: DeployStack refuses one
 * sent by hand (the CLI would never send it), and a malformed spec left in the
 * store by an older manager holds back only its own service.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { loadCompose, type StackSpec } from '@cluster/core';
import { SqliteStore } from '@cluster/manager';
import { joinCluster } from '@cluster/agent';
import { call, openSession, refusal, startTestManager, within, type Peer, type SessionProbe, type TestManager } from './harness.js';

const GOOD = `services:\n  web:\n    image: busybox\n    deploy: {replicas: 2}\n`;

function goodSpec(stack: string): StackSpec {
  const r = loadCompose(GOOD, { file: `/s/${stack}/compose.yml`, stackName: stack });
  assert.ok(r.spec, JSON.stringify(r.errors));
  return r.spec;
}

describe('a malformed stack spec is refused and never stops other stacks', { timeout: 90_000 }, () => {
  let m: TestManager;
  let session: SessionProbe | undefined;
  let nodeId = '';
  let beat: NodeJS.Timeout | undefined;
  before(async () => {
    m = await startTestManager({
      // A store from before the manager checked specs: a service without env, labels, ports, restart...
      before: (path) => {
        const old = SqliteStore.open(path);
        old.update({ putServices: [{ name: 'legacy_api', stack: 'legacy', specVersion: 1, createdAt: 0, updatedAt: 0, spec: { name: 'api', image: 'busybox', replicas: 1 } as never }] });
        old.close();
      },
    });
    const { token } = await call('Control', m.address, admin(), 'GetJoinToken', { role: 'worker' });
    const creds = await joinCluster({ manager: m.address, token, name: 'n1', hostname: 'n1', advertise: '127.0.0.1', labels: {} });
    session = openSession(m.address, { caPem: creds.caPem, certPem: creds.certPem, keyPem: creds.keyPem });
    nodeId = await within(session.accepted, 15_000, 'session accepted');
    // The node stays ready as an agent keeps it: a heartbeat every 200 ms.
    const open = session;
    beat = setInterval(() => open.stream.write({ heartbeat: {} }), 200);
  });
  after(async () => {
    if (beat) clearInterval(beat);
    session?.close();
    await m?.stop();
  });

  const admin = (): Peer => ({ caPem: m.admin.caPem, certPem: m.admin.certPem, keyPem: m.admin.keyPem });
  const deployRaw = (name: string, spec: unknown) => call('Control', m.address, admin(), 'DeployStack', { name, specJson: JSON.stringify(spec), dryRun: false });

  /** placed waits until a stack has `want` tasks, each assigned to n1. */
  async function placed(stack: string, want: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    let last: { nodeName: string; state: string }[] = [];
    while (Date.now() < deadline) {
      last = (await call('Control', m.address, admin(), 'ListTasks', { filter: stack, all: false })).tasks;
      if (last.length === want && last.every((t) => t.nodeName === 'n1' && t.state === 'assigned')) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`stack ${stack}: tasks not placed on n1: ${JSON.stringify(last)}`);
  }

  test('DeployStack refuses a spec missing a field, with a field of the wrong type, or of another shape, with INVALID_ARGUMENT', async () => {
    const base = goodSpec('bad');
    const web = base.services.web!;
    const cases: [string, unknown, RegExp][] = [
      ['missing restart', { ...base, services: { web: { ...web, restart: undefined } } }, /services\.web\.restart: missing/],
      ['ports not a list', { ...base, services: { web: { ...web, ports: 'x' } } }, /services\.web\.ports: expected a list/],
      ['env values not strings', { ...base, services: { web: { ...web, env: { A: 1 } } } }, /services\.web\.env\.A: expected a string/],
      ['a constraint the scheduler cannot read', { ...base, services: { web: { ...web, constraints: ['whatever'] } } }, /services\.web\.constraints\[0\]: constraint "whatever"/],
      ['replicas over the cap of scale', { ...base, services: { web: { ...web, replicas: 200_000 } } }, /services\.web\.replicas: expected an integer 0-100000/],
      ['services as a list', { name: 'bad', services: [web] }, /services: expected a mapping/],
      ['a service that is not an object', { name: 'bad', services: { web: 'busybox' } }, /services\.web: expected a service/],
    ];
    for (const [what, spec, details] of cases) {
      await assert.rejects(deployRaw('bad', spec), refusal(grpc.status.INVALID_ARGUMENT, details), what);
    }
    const { services } = await call('Control', m.address, admin(), 'ListServices', { stack: 'bad' });
    assert.deepEqual(services, [], 'nothing of a refused spec is stored');
  });

  test('after the refusals, and with a malformed spec in the store from before, another stack deploys and is placed', async () => {
    await deployRaw('good', goodSpec('good'));
    await placed('good', 2);
    assert.ok(nodeId !== '');
    const { services } = await call('Control', m.address, admin(), 'ListServices', { stack: '' });
    const legacy = services.find((s) => s.name === 'legacy_api');
    assert.ok(legacy, 'the malformed service is listed');
    assert.equal(legacy.converged, false);
    assert.equal(legacy.leftOut, true);
    assert.equal(services.find((s) => s.name === 'good_web')?.leftOut, false);
    assert.match(legacy.error, /invalid spec: spec\.env: missing/);
  });

  test('a new deploy of the malformed stack replaces it, and it is placed', async () => {
    await deployRaw('legacy', { name: 'legacy', services: { api: { ...goodSpec('legacy').services.web!, name: 'api' } } });
    await placed('legacy', 2);
    const { services } = await call('Control', m.address, admin(), 'ListServices', { stack: 'legacy' });
    assert.deepEqual(services.map((s) => [s.name, s.error]), [['legacy_api', '']]);
  });
});
