/**
 * Overlay networks on the real engine: a network made with its allocation
 * takes the cluster's subnet, hands out addresses from this node's range
 * only, with the MTU and the VNI label; one whose subnet the engine already
 * holds is made as a plain bridge with a warning, so the task still runs.
 * Subnets from the far end of the overlay's pool; names unique to the run.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dockerFromHost } from './adapter.js';
import { overlayNetworks } from './networks.js';
import { stackNetworks } from './stackNetworks.js';

const RUN = `ovn${randomBytes(3).toString('hex')}`;
const docker = dockerFromHost();
const fail = (what: string, err: unknown): Error => new Error(`${what}: ${String(err)}`, { cause: err });

after(async () => {
  const nets = await docker.listNetworks({ filters: { name: [RUN] } });
  for (const n of nets) await docker.getNetwork(n.Id).remove().catch(() => undefined);
});

test('a network made with its allocation takes the subnet, this node\'s range, the MTU and the VNI', async () => {
  const warnings: string[] = [];
  const nets = stackNetworks(docker, fail, { index: () => 7, mtu: 1400, warn: (m) => warnings.push(m) });
  const id = await nets.ensure(`${RUN}_default`, RUN, { subnet: '10.190.0.0/16', vni: 4158 });
  const info = await docker.getNetwork(id).inspect();
  assert.deepEqual(info.IPAM?.Config, [{ Subnet: '10.190.0.0/16', IPRange: '10.190.7.0/24', Gateway: '10.190.0.1' }]);
  assert.equal(info.Options?.['com.docker.network.driver.mtu'], '1400');
  assert.equal(info.Labels?.['cluster.overlay.vni'], '4158');
  assert.deepEqual(warnings, []);
  const listed = (await overlayNetworks(docker)).find((n) => n.name === `${RUN}_default`);
  assert.deepEqual(listed, { name: `${RUN}_default`, vni: 4158, bridge: `br-${id.slice(0, 12)}` });
});

test('a network whose subnet the engine already holds is made as a plain bridge, with a warning', async () => {
  await docker.createNetwork({ Name: `${RUN}_byhand`, Driver: 'bridge', IPAM: { Driver: 'default', Config: [{ Subnet: '10.191.0.0/16' }] } });
  const warnings: string[] = [];
  const nets = stackNetworks(docker, fail, { index: () => 1, mtu: 1450, warn: (m) => warnings.push(m) });
  const id = await nets.ensure(`${RUN}_back`, RUN, { subnet: '10.191.0.0/16', vni: 4159 });
  const info = await docker.getNetwork(id).inspect();
  assert.equal(info.Labels?.['cluster.overlay.vni'], undefined);
  assert.notEqual(info.IPAM?.Config?.[0]?.Subnet, '10.191.0.0/16');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /cannot use the overlay's subnet 10\.191\.0\.0\/16.*plain bridge/);
});
