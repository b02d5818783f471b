/**
 * UDP through the VIP proxy against the real engine on one host: a container
 * sends DNS queries (busybox `nslookup`, UDP; its `nc` has no UDP mode) to a
 * service's VIP on port 53/udp, and the agent's UDP proxy hands them to the
 * service's endpoint, a responder on 127.0.0.1 that answers every name with
 * 192.0.2.7. A container of another stack gets no answer. The test uses its
 * own DNS address and VIP (10.233.252.x on lo, removed after).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type Dockerode from 'dockerode';
import * as packet from 'dns-packet';
import { LABELS, type RegistryEntry } from '@cluster/core';
import { Mesh } from '../mesh/mesh.js';
import { UdpListener } from '../mesh/udpProxy.js';
import { RegistryView } from '../mesh/view.js';
import { dockerFromHost } from './adapter.js';
import { addressOwners, stackSubnets } from './networks.js';
import { execInContainer } from './testing.js';

const IMAGE = 'cluster-test/busybox:latest';
const RUN = `ud${randomBytes(3).toString('hex')}`;
const DNS = '10.233.252.1';
const VIP = '10.233.252.2';
const [A, B] = [`${RUN}a`, `${RUN}b`];

let docker: Dockerode;
let mesh: Mesh;
let responder: Socket;
const view = new RegistryView();

async function run(stack: string, name: string): Promise<Dockerode.Container> {
  const c = await docker.createContainer({
    name: `${stack}-${name}`, Image: IMAGE, Cmd: ['sleep', '60'], Labels: { [LABELS.stack]: stack },
    HostConfig: { NetworkMode: `${stack}_default`, Dns: [DNS] },
  });
  await c.start();
  return c;
}

/** exec runs a shell command in a container and returns its output. */
const exec = async (c: Dockerode.Container, cmd: string): Promise<string> => (await execInContainer(c, cmd)).out;

before(async () => {
  docker = dockerFromHost();
  for (const s of [A, B]) await docker.createNetwork({ Name: `${s}_default`, Driver: 'bridge', Labels: { [LABELS.stack]: s } });
  responder = createSocket('udp4');
  responder.on('message', (m, r) => {
    const q = packet.decode(m);
    const answers: packet.Answer[] = q.questions?.[0]?.type === 'A' ? [{ type: 'A', name: q.questions[0].name, data: '192.0.2.7' }] : [];
    responder.send(packet.encode({ type: 'response', id: q.id, flags: packet.RECURSION_AVAILABLE, questions: q.questions, answers }), r.port, r.address);
  });
  await new Promise<void>((r) => responder.bind(0, '127.0.0.1', () => r()));
  const entry: RegistryEntry = {
    name: `${A}_names`, stack: A, shortName: 'names', vip: VIP, aliases: [],
    ports: [{ target: 53, published: 0, protocol: 'udp', mode: 'ingress' }],
    endpoints: [{ taskId: 't1', nodeId: 'n1', nodeAddress: '127.0.0.1', slot: 1, ports: [{ target: 53, protocol: 'udp', hostPort: responder.address().port }] }],
  };
  view.set([entry]);
  mesh = new Mesh({ view, stackSubnets: () => stackSubnets(docker), owners: () => addressOwners(docker), dnsAddress: DNS, upstreams: [], log: () => undefined });
  await mesh.start();
});

after(async () => {
  await mesh?.stop();
  responder?.close();
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABELS.stack}`] } });
  for (const c of list) if (c.Names.some((n) => n.startsWith(`/${RUN}`))) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  for (const s of [A, B]) await docker.getNetwork(`${s}_default`).remove().catch(() => undefined);
});

test('UDP datagrams to VIP:port reach the service and the replies come back; another stack gets none', async () => {
  const l = mesh.listener(`vip-udp:${VIP}:53`);
  assert.ok(l instanceof UdpListener);
  const client = await run(A, 'client');
  const got = await exec(client, `nslookup example.test ${VIP}; nslookup other.test names`);
  assert.equal(got.match(/192\.0\.2\.7/g)?.length, 2, got);
  assert.ok(l.stats.accepted >= 1 && l.stats.datagrams >= 2);
  const other = await run(B, 'client');
  const refused = await exec(other, `nslookup example.test ${VIP}`);
  assert.doesNotMatch(refused, /192\.0\.2\.7/, refused);
  assert.ok(l.stats.refused >= 1);
});
