import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { loadCompose } from '@cluster/core';
import { joinCluster, type NodeCredentials } from '@cluster/agent';
import { call, client, openSession, startTestManager, within, type Peer, type TestManager } from './harness.js';

/** ARCHIVE stands for a `docker save` archive with baked-in credentials; the manager stores bytes as they come. */
const ARCHIVE = Buffer.from('image archive with baked-in credentials: s3cr3t');

/** fetchImage streams an image as a node; resolves with the bytes, or the status that ended the stream. */
function fetchImage(address: string, peer: Peer, name: string): Promise<{ bytes: Buffer } | { code: grpc.status; details: string }> {
  const c = client('Dispatcher', address, peer);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const stream = c.FetchImage({ name }, { deadline: Date.now() + 10_000 });
    stream.on('data', (m: { data: Buffer }) => chunks.push(m.data));
    stream.on('error', (e: grpc.ServiceError) => resolve({ code: e.code, details: e.details }));
    stream.on('end', () => resolve({ bytes: Buffer.concat(chunks) }));
  }).finally(() => c.close()) as Promise<{ bytes: Buffer } | { code: grpc.status; details: string }>;
}

describe('FetchImage: a node downloads only the images of the tasks assigned to it', { timeout: 60_000 }, () => {
  let m: TestManager;
  before(async () => {
    m = await startTestManager({ images: true });
  });
  after(async () => {
    await m?.stop();
  });

  const admin = (): Peer => ({ caPem: m.admin.caPem, certPem: m.admin.certPem, keyPem: m.admin.keyPem });
  const node = (c: NodeCredentials): Peer => ({ caPem: c.caPem, certPem: c.certPem, keyPem: c.keyPem });
  const newNode = async (name: string): Promise<NodeCredentials> => {
    const { token } = await call('Control', m.address, admin(), 'GetJoinToken', { role: 'worker' });
    return joinCluster({ manager: m.address, token, name, hostname: name, advertise: '127.0.0.1', labels: {} });
  };

  test('the node running the task gets the image; another node is refused with PERMISSION_DENIED, as for a name the manager lacks', async () => {
    // The admin pushes the image, as `cluster deploy` does for a `build:` service.
    const c = client('Control', m.address, admin());
    await new Promise<void>((resolve, reject) => {
      const up = c.PushImage((err) => (err ? reject(err) : resolve()));
      up.write({ name: 'cluster-build/vault:1', imageId: 'sha256:1', data: ARCHIVE, totalBytes: ARCHIVE.length });
      up.end();
    });
    c.close();

    const owner = await newNode('owner');
    const stranger = await newNode('stranger');
    const sessions = [openSession(m.address, node(owner)), openSession(m.address, node(stranger))];
    try {
      await within(Promise.all(sessions.map((s) => s.accepted)), 5000, 'sessions');
      const { spec } = loadCompose('services:\n  vault:\n    image: cluster-build/vault:1\n    deploy:\n      placement:\n        constraints: ["node.hostname==owner"]\n', { file: 'stack.yml', stackName: 'bank' });
      await call('Control', m.address, admin(), 'DeployStack', { name: 'bank', specJson: JSON.stringify(spec), dryRun: false });
      const deadline = Date.now() + 10_000;
      while (!m.store.tasksOfNode(owner.nodeId).some((t) => t.stack === 'bank') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.ok(m.store.tasksOfNode(owner.nodeId).some((t) => t.stack === 'bank'), 'the task was placed on its node');

      const got = await fetchImage(m.address, node(owner), 'cluster-build/vault:1');
      assert.ok('bytes' in got, JSON.stringify(got));
      assert.deepEqual(got.bytes, ARCHIVE);

      const foreign = await fetchImage(m.address, node(stranger), 'cluster-build/vault:1');
      assert.deepEqual(foreign, { code: grpc.status.PERMISSION_DENIED, details: `fetch image: no task assigned to node ${stranger.nodeId} uses image "cluster-build/vault:1"` });
      // A name no task uses is refused the same way: a node cannot probe which images the manager holds.
      const absent = await fetchImage(m.address, node(stranger), 'cluster-build/nothing:1');
      assert.equal('code' in absent && absent.code, grpc.status.PERMISSION_DENIED);

      // Once the owner's task is no longer meant to run there (the stack is gone), the owner is refused too.
      await call('Control', m.address, admin(), 'RemoveStack', { name: 'bank', volumes: false });
      const after = await fetchImage(m.address, node(owner), 'cluster-build/vault:1');
      assert.equal('code' in after && after.code, grpc.status.PERMISSION_DENIED);
    } finally {
      for (const s of sessions) s.close();
    }
  });
});
