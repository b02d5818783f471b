/**
 * A service's networks on the real engine, as Compose means them: a service
 * that lists only `back` is on `back` alone, not on the stack's default
 * network. Services on `back` reach it by its aliases there; a service only
 * on `front` does not (the engine's bridges are apart), yet both still
 * resolve and reach the stack's services through the node's DNS and VIPs,
 * since the mesh knows a container's stack from any network of the stack.
 * The test uses its own DNS address and VIPs (10.233.251.x on lo, removed
 * after) and its own stack name.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { LABELS, type RegistryEntry, type ServiceSpec } from '@cluster/core';
import type { Executor } from '../executor.js';
import { makeAssignment } from '../fake-executor.js';
import { Mesh } from '../mesh/mesh.js';
import { RegistryView } from '../mesh/view.js';
import { dockerExecutor, dockerFromHost } from './adapter.js';
import { stackSubnets } from './networks.js';
import { boundPorts } from './ports.js';
import { execInContainer } from './testing.js';

const STACK = `sn${randomBytes(3).toString('hex')}`;
const NODE = `node-${STACK}`;
const DNS = '10.233.251.1';
const DB_VIP = '10.233.251.2';
const WEB_VIP = '10.233.251.3';
const BACK = `${STACK}_back`;
const FRONT = `${STACK}_front`;

let docker: Dockerode;
let executor: Executor;
let mesh: Mesh | undefined;
const view = new RegistryView();
const ids: Record<string, string> = {};

/** start makes and starts a task of the stack through the adapter, as the agent does. */
async function start(name: string, slot: number, spec: Partial<ServiceSpec>): Promise<string> {
  const a = makeAssignment({ task: { stack: STACK, id: `${STACK}${name}`, slot }, spec: { name, ...spec } });
  const id = await executor.create(a, NODE);
  await executor.start(id);
  return id;
}

/** exec runs a shell command in the container with this id. */
const exec = (id: string, cmd: string): Promise<{ code: number; out: string }> => execInContainer(docker.getContainer(id), cmd);

function entry(short: string, vip: string, endpoints: RegistryEntry['endpoints']): RegistryEntry {
  return {
    name: `${STACK}_${short}`, stack: STACK, shortName: short, vip, aliases: [],
    ports: [{ target: 80, published: 0, protocol: 'tcp', mode: 'ingress' }], endpoints,
  };
}

describe('a service on its listed networks only', { timeout: 90_000 }, () => {
  before(async () => {
    docker = dockerFromHost();
    executor = dockerExecutor(docker, { nodeId: NODE, dns: [DNS] });
    const serve = 'echo hello-from-db > /tmp/index.html; httpd -f -p 80 -h /tmp';
    const port = [{ target: 80, published: 0, protocol: 'tcp' as const, mode: 'ingress' as const }];
    ids.db = await start('db', 1, { command: ['sh', '-c', serve], ports: port, networks: [{ name: BACK, aliases: ['database'] }] });
    ids.api = await start('api', 1, { command: ['sleep', '120'], networks: [{ name: FRONT, aliases: [] }, { name: BACK, aliases: [] }] });
    ids.web = await start('web', 1, { command: ['sleep', '120'], networks: [{ name: FRONT, aliases: [] }] });
    const ports = boundPorts((await docker.getContainer(ids.db).inspect()).NetworkSettings.Ports);
    view.set([
      entry('db', DB_VIP, [{ taskId: `${STACK}db`, nodeId: NODE, nodeAddress: '127.0.0.1', slot: 1, ports }]),
      entry('web', WEB_VIP, []),
    ]);
    mesh = new Mesh({ view, stackSubnets: () => stackSubnets(docker), dnsAddress: DNS, upstreams: [], log: () => undefined });
    await mesh.start();
  });

  after(async () => {
    await mesh?.stop();
    const cs = await docker.listContainers({ all: true, filters: { label: [`${LABELS.stack}=${STACK}`] } });
    for (const c of cs) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    await executor.removeStackResources?.(STACK).catch(() => undefined);
  });

  test('it is on its own networks, not on the stack default', async () => {
    const nets = (id: string) => docker.getContainer(id).inspect().then((i) => Object.keys(i.NetworkSettings.Networks).sort());
    assert.deepEqual(await nets(ids.db!), [BACK]);
    assert.deepEqual(await nets(ids.api!), [BACK, FRONT]);
    assert.deepEqual(await nets(ids.web!), [FRONT]);
    const made = await docker.listNetworks({ filters: { label: [`${LABELS.stack}=${STACK}`] } });
    assert.deepEqual(made.map((n) => n.Name).sort(), [BACK, FRONT], 'no default network was made for the stack');
  });

  test('a service on the same network reaches it by its aliases there', async () => {
    for (const name of ['db', 'database']) {
      const got = await exec(ids.api!, `wget -q -O - http://${name}/`);
      assert.equal(got.out.trim(), 'hello-from-db', `${name}: ${got.out}`);
    }
  });

  test('a service only on another network neither resolves its container alias nor reaches its address', async () => {
    const address = (await docker.getContainer(ids.db!).inspect()).NetworkSettings.Networks[BACK]?.IPAddress ?? '';
    assert.ok(address !== '');
    const ns = await exec(ids.web!, 'nslookup database');
    assert.doesNotMatch(ns.out, new RegExp(address.replace(/\./g, '\\.')), ns.out);
    const direct = await exec(ids.web!, `wget -q -T 2 -O - http://${address}/`);
    assert.notEqual(direct.out.trim(), 'hello-from-db', direct.out);
  });

  test('the node DNS still answers the stack names on any network of the stack, and the VIP reaches the service', async () => {
    const fromFront = await exec(ids.web!, 'nslookup db');
    assert.match(fromFront.out, new RegExp(DB_VIP.replace(/\./g, '\\.')), fromFront.out);
    const viaVip = await exec(ids.web!, 'wget -q -O - http://db/');
    assert.equal(viaVip.out.trim(), 'hello-from-db', viaVip.out);
    const fromBack = await exec(ids.db!, 'nslookup web');
    assert.match(fromBack.out, new RegExp(WEB_VIP.replace(/\./g, '\\.')), fromBack.out);
  });
});
