/**
 * The mesh against the real engine on one host: containers of a stack reach
 * a service by name through the agent's DNS and the VIP proxy, and a
 * container of another stack neither resolves nor reaches it. The test uses
 * its own DNS address and VIPs (10.233.250.x on lo, removed after), its own
 * stack names, and only 127.0.0.1 as node address.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { LABELS, type RegistryEntry } from '@cluster/core';
import { Mesh } from '../mesh/mesh.js';
import { RegistryView } from '../mesh/view.js';
import { dockerFromHost } from './adapter.js';
import { stackSubnets } from './networks.js';
import { boundPorts } from './ports.js';
import { execInContainer } from './testing.js';

const IMAGE = 'cluster-test/busybox:latest';
const RUN = `mt${randomBytes(3).toString('hex')}`;
const DNS = '10.233.250.1';
const VIP = '10.233.250.2';
const A = `${RUN}a`;
const B = `${RUN}b`;

let docker: Dockerode;
let mesh: Mesh;
const view = new RegistryView();

async function network(stack: string): Promise<void> {
  await docker.createNetwork({ Name: `${stack}_default`, Driver: 'bridge', Labels: { [LABELS.stack]: stack } });
}

/** run starts a container on a stack's network; `cmd` runs under sh. */
async function run(stack: string, name: string, cmd: string, extra: Dockerode.HostConfig = {}): Promise<Dockerode.Container> {
  const c = await docker.createContainer({
    name: `${stack}-${name}`,
    Image: IMAGE,
    Cmd: ['sh', '-c', cmd],
    Labels: { [LABELS.stack]: stack },
    ExposedPorts: { '80/tcp': {} },
    HostConfig: { NetworkMode: `${stack}_default`, Dns: [DNS], PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] }, ...extra },
  });
  await c.start();
  return c;
}

/** exec runs a shell command in a container. */
const exec = execInContainer;

before(async () => {
  docker = dockerFromHost();
  await network(A);
  await network(B);
  const web = await run(A, 'web', 'echo hello-from-web > /tmp/index.html && httpd -f -p 80 -h /tmp');
  const ports = boundPorts((await web.inspect()).NetworkSettings.Ports);
  const entry: RegistryEntry = {
    name: `${A}_web`, stack: A, shortName: 'web', vip: VIP, aliases: [],
    ports: [{ target: 80, published: 0, protocol: 'tcp', mode: 'ingress' }],
    endpoints: [{ taskId: 't1', nodeId: 'n1', nodeAddress: '127.0.0.1', slot: 1, ports }],
  };
  view.set([entry]);
  mesh = new Mesh({ view, stackSubnets: () => stackSubnets(docker), dnsAddress: DNS, upstreams: [], log: () => undefined });
  await mesh.start();
});

after(async () => {
  await mesh?.stop();
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABELS.stack}`] } });
  for (const c of list) if (c.Names.some((n) => n.startsWith(`/${RUN}`))) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  for (const s of [A, B]) await docker.getNetwork(`${s}_default`).remove().catch(() => undefined);
});

test('a container resolves a service of its stack to the VIP and reaches it through the proxy', async () => {
  const client = await run(A, 'client', 'sleep 60');
  const ns = await exec(client, 'nslookup web');
  assert.match(ns.out, new RegExp(VIP.replace(/\./g, '\\.')), ns.out);
  const ns2 = await exec(client, `nslookup web.${A}`);
  assert.match(ns2.out, new RegExp(VIP.replace(/\./g, '\\.')), ns2.out);
  const got = await exec(client, 'wget -q -O - http://web/');
  assert.equal(got.out.trim(), 'hello-from-web', got.out);
  assert.ok((mesh.listener(`vip:${VIP}:80`)?.stats.accepted ?? 0) >= 1);
});

test('a container of another stack neither resolves nor reaches the service', async () => {
  const other = await run(B, 'client', 'sleep 60');
  const ns = await exec(other, 'nslookup web');
  assert.doesNotMatch(ns.out, new RegExp(VIP.replace(/\./g, '\\.')), ns.out);
  const got = await exec(other, `wget -q -O - http://${VIP}/`);
  assert.notEqual(got.out.trim(), 'hello-from-web');
  assert.ok((mesh.listener(`vip:${VIP}:80`)?.stats.refused ?? 0) >= 1);
});
