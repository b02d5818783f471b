/**
 * Stacks joined by an external network, against the real engine on one host:
 * a container of stack B on the network resolves a service of stack A on it
 * by name and reaches it through the VIP proxy; a container of stack C, not
 * on the network, neither resolves nor reaches it. The test uses its own DNS
 * address and VIP (10.233.251.x on lo, removed after), its own stack and
 * network names, and only 127.0.0.1 as node address.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { LABELS, type RegistryEntry } from '@cluster/core';
import { Mesh } from '../mesh/mesh.js';
import { RegistryView } from '../mesh/view.js';
import { dockerFromHost } from './adapter.js';
import { addressOwners, stackSubnets } from './networks.js';
import { boundPorts } from './ports.js';
import { execInContainer } from './testing.js';

const IMAGE = 'cluster-test/busybox:latest';
const RUN = `sn${randomBytes(3).toString('hex')}`;
const DNS = '10.233.251.1';
const VIP = '10.233.251.2';
const [A, B, C] = ['a', 'b', 'c'].map((s) => `${RUN}${s}`) as [string, string, string];
const SHARED = `${RUN}shared`;
const vipRe = new RegExp(VIP.replace(/\./g, '\\.'));

let docker: Dockerode;
let mesh: Mesh;
const view = new RegistryView();

/** run starts a container on its stack's network, joined to `shared` too when asked; `cmd` runs under sh. */
async function run(stack: string, name: string, cmd: string, shared: boolean): Promise<Dockerode.Container> {
  const c = await docker.createContainer({
    name: `${stack}-${name}`,
    Image: IMAGE,
    Cmd: ['sh', '-c', cmd],
    Labels: { [LABELS.stack]: stack },
    ExposedPorts: { '80/tcp': {} },
    HostConfig: { NetworkMode: `${stack}_default`, Dns: [DNS], PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
  });
  if (shared) await docker.getNetwork(SHARED).connect({ Container: c.id });
  await c.start();
  return c;
}

/** exec runs a shell command in a container and returns its output. */
const exec = async (c: Dockerode.Container, cmd: string): Promise<string> => (await execInContainer(c, cmd)).out;

before(async () => {
  docker = dockerFromHost();
  for (const s of [A, B, C]) await docker.createNetwork({ Name: `${s}_default`, Driver: 'bridge', Labels: { [LABELS.stack]: s } });
  await docker.createNetwork({ Name: SHARED, Driver: 'bridge' });
  const web = await run(A, 'web', 'echo hello-from-a > /tmp/index.html && httpd -f -p 80 -h /tmp', true);
  const ports = boundPorts((await web.inspect()).NetworkSettings.Ports);
  const entry: RegistryEntry = {
    name: `${A}_web`, stack: A, shortName: 'web', vip: VIP, aliases: [], networks: [SHARED],
    ports: [{ target: 80, published: 0, protocol: 'tcp', mode: 'ingress' }],
    endpoints: [{ taskId: 't1', nodeId: 'n1', nodeAddress: '127.0.0.1', slot: 1, ports }],
  };
  view.set([entry]);
  mesh = new Mesh({ view, stackSubnets: () => stackSubnets(docker), owners: () => addressOwners(docker), dnsAddress: DNS, upstreams: [], log: () => undefined });
  await mesh.start();
});

after(async () => {
  await mesh?.stop();
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABELS.stack}`] } });
  for (const c of list) if (c.Names.some((n) => n.startsWith(`/${RUN}`))) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  for (const n of [...[A, B, C].map((s) => `${s}_default`), SHARED]) await docker.getNetwork(n).remove().catch(() => undefined);
});

test('a stack on the same external network resolves the service by name and reaches it through the VIP', async () => {
  const client = await run(B, 'client', 'sleep 60', true);
  for (const name of [`web.${A}`, `${A}_web`]) {
    const ns = await exec(client, `nslookup ${name}`);
    assert.match(ns, vipRe, ns);
  }
  const got = await exec(client, `wget -q -O - http://web.${A}/`);
  assert.equal(got.trim(), 'hello-from-a', got);
  assert.ok((mesh.listener(`vip:${VIP}:80`)?.stats.accepted ?? 0) >= 1);
});

test('a stack not on the network neither resolves nor reaches the service', async () => {
  const other = await run(C, 'client', 'sleep 60', false);
  const refused = mesh.listener(`vip:${VIP}:80`)?.stats.refused ?? 0;
  for (const name of [`web.${A}`, `${A}_web`, 'web']) {
    const ns = await exec(other, `nslookup ${name}`);
    assert.doesNotMatch(ns, vipRe, ns);
  }
  const got = await exec(other, `wget -q -O - http://${VIP}/`);
  assert.notEqual(got.trim(), 'hello-from-a');
  assert.ok((mesh.listener(`vip:${VIP}:80`)?.stats.refused ?? 0) > refused);
});
