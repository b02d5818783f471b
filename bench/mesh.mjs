/**
 * The mesh benchmark: HTTP through the service proxy and through the routing
 * mesh of an agent `Mesh` and its `Firewall` with the kernel path, following
 * a registry view, versus straight to the container, in one run. The
 * container is busybox httpd on a bridge network of its own; "direct" is its
 * address. The view holds two services of that one container: `local`, whose
 * endpoint is a task of this node (the kernel DNATs its VIP and published
 * port straight to the container: paths kproxy and kmesh), and `remote`,
 * whose endpoint is treated as another node's (the userspace listeners
 * forward it: paths proxy and mesh). The VIPs (10.233.255.250 and .251, on
 * lo for the run) check the client's stack in both paths: every client
 * connects from the bridge's gateway address, an address of the stack's
 * network as a container's would be. The published ports listen on that
 * gateway address, a node address. Every connection
 * is new (busybox httpd speaks HTTP/1.0), which is the case the proxies pay
 * most for. The paths take turns every 10 requests (sequential), every 100
 * (in flight) and download by download, in an order rotated every
 * round, so the load of other work on the machine hits them alike. The proxy
 * process also reports its own CPU time per connection of each path, a
 * figure that moves less with the machine's load than times do.
 *
 *   node bench/mesh.mjs [--rounds 3] [--requests 1000] [--concurrency 8] [--bulk-mb 16] [--profile DIR] [--baseline FILE]
 *
 * --profile DIR writes a V8 CPU profile of the proxy process (node --cpu-prof) into DIR.
 * --baseline FILE adds a path "baseline": the TcpListener exported by FILE (the compiled
 * proxy.js of another version), with the VIP's allow check, in the same proxy process,
 * so that two versions of the proxy are compared in one run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AskerOfAddress, Firewall, KernelPath, Mesh, RegistryView, freePort } from '@cluster/agent';
import { canSee } from '@cluster/core';
import { docker, IMAGE } from './engine.mjs';

const LABEL = 'cluster-bench.mesh';
/** VIP_LOCAL and VIP_REMOTE are the services' virtual addresses, on lo while the proxy process runs. */
const VIP_LOCAL = '10.233.255.250';
const VIP_REMOTE = '10.233.255.251';
/** TARGET is the container's port. */
const TARGET = 80;

/** get fetches a path on a fresh connection to `to` ({ host, port }) and resolves to the byte count (5 s bound). */
function get(to, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: to.host, port: to.port, path, agent: false, timeout: 5000, localAddress: to.from }, (res) => {
      let n = 0;
      res.on('data', (d) => (n += d.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`status ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => reject(new Error(`${to.host}:${to.port}${path}: ${err.message}`)));
    req.end();
  });
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** timeGet times one small request (ms). */
async function timeGet(to) {
  const t = process.hrtime.bigint();
  await get(to, '/small');
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** burst runs `n` small requests with `c` in flight and returns the seconds it took. */
async function burst(to, n, c) {
  let next = 0;
  const t = process.hrtime.bigint();
  const lane = async () => {
    while (next < n) {
      next++;
      await get(to, '/small');
    }
  };
  await Promise.all(Array.from({ length: Math.min(c, n) }, lane));
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** BATCH is how many requests in flight a path runs before the next path takes its turn. */
const BATCH = 100;
/** SEQ_BATCH is how many sequential requests a path runs before the next path takes its turn. */
const SEQ_BATCH = 10;

/**
 * runMeshBenchmark measures direct, proxy and mesh paths and returns, per
 * path, median and p99 latency (ms), requests/s and MB/s, plus the ratios to
 * direct.
 */
export async function runMeshBenchmark({ rounds = 3, requests = 1000, concurrency = 8, bulkMb = 16, profileDir, baseline, log = () => undefined } = {}) {
  const cmd = `mkdir -p /tmp/www && echo hello > /tmp/www/small && dd if=/dev/zero of=/tmp/www/large bs=1M count=${bulkMb} 2>/dev/null && exec httpd -f -p ${TARGET} -h /tmp/www`;
  const netName = `cluster-bench-mesh-${process.pid}`;
  const net = await docker.createNetwork({ Name: netName, Labels: { [LABEL]: '1' } });
  const closers = [() => net.remove().catch(() => undefined)];
  const c = await docker.createContainer({ Image: IMAGE, Cmd: ['sh', '-c', cmd], Labels: { [LABEL]: '1' }, HostConfig: { NetworkMode: netName } });
  closers.push(() => c.remove({ force: true }).catch(() => undefined));
  try {
    await c.start();
    const info = await c.inspect();
    const address = info.NetworkSettings.Networks[netName].IPAddress;
    const gateway = info.NetworkSettings.Networks[netName].Gateway;
    const subnet = (await net.inspect()).IPAM.Config[0].Subnet;
    const deadline = Date.now() + 10000;
    // Every path's client connects from the gateway, the host's address on the container's network: to the VIPs'
    // allow checks it is an address of the stack's network, as a container's would be.
    const direct = { host: address, port: TARGET, from: gateway };
    while (Date.now() < deadline && !(await get(direct, '/small').then(() => true, () => false))) await new Promise((r) => setTimeout(r, 100));

    // The proxies run in their own process, as in the agent: the client does not share their event loop.
    const flags = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
    const child = spawn(process.execPath, [...flags, new URL(import.meta.url).pathname, '--serve', JSON.stringify({ address, gateway, subnet }), ...(baseline ? [resolve(baseline)] : [])], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    closers.push(() => stopChild(child));
    const { publishedLocal, publishedRemote, baselinePort } = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('mesh bench: the proxy process did not start within 20 s')), 20000);
      let buf = '';
      child.stdout.on('data', (d) => {
        buf += d.toString();
        if (buf.includes('\n')) { clearTimeout(timer); resolve(JSON.parse(buf)); }
      });
      child.on('exit', (code) => reject(new Error(`mesh bench: the proxy process exited ${code}`)));
    });
    const paths = {
      direct,
      kproxy: { host: VIP_LOCAL, port: TARGET, from: gateway },
      kmesh: { host: gateway, port: publishedLocal, from: gateway },
      proxy: { host: VIP_REMOTE, port: TARGET, from: gateway },
      mesh: { host: gateway, port: publishedRemote, from: gateway },
    };
    if (baselinePort) paths.baseline = { host: VIP_REMOTE, port: baselinePort, from: gateway };
    const names = Object.keys(paths);
    const acc = Object.fromEntries(names.map((k) => [k, { lat: [], seconds: 0, sent: 0, bulkSeconds: 0, bytes: 0, userUs: 0, systemUs: 0 }]));
    for (let r = 0; r < rounds; r++) {
      const order = names.map((_, i) => names[(i + r) % names.length]);
      // Sequential: the paths take turns every SEQ_BATCH requests, so they meet the same moments of the machine's load,
      // while most requests follow one of their own path (as in a stream of requests, the proxy may still be closing the last one).
      for (let sent = 0; sent < requests; sent += SEQ_BATCH) {
        for (const name of order) for (let i = sent; i < Math.min(requests, sent + SEQ_BATCH); i++) acc[name].lat.push(await timeGet(paths[name]));
      }
      // In flight: the paths take turns batch by batch; the proxy process's CPU time is read around each batch.
      for (let sent = 0; sent < requests; sent += BATCH) {
        const n = Math.min(BATCH, requests - sent);
        for (const name of order) {
          const before = await cpuOf(child);
          acc[name].seconds += await burst(paths[name], n, concurrency);
          const after = await cpuOf(child);
          acc[name].userUs += after.user - before.user;
          acc[name].systemUs += after.system - before.system;
          acc[name].sent += n;
        }
      }
      for (let k = 0; k < 4; k++) {
        for (const name of order) {
          const t = process.hrtime.bigint();
          acc[name].bytes += await get(paths[name], '/large');
          acc[name].bulkSeconds += Number(process.hrtime.bigint() - t) / 1e9;
        }
      }
      log(`mesh bench: round ${r + 1}/${rounds} done`);
    }
    const out = {};
    for (const [name, a] of Object.entries(acc)) {
      const lat = a.lat.sort((x, y) => x - y);
      out[name] = {
        p50Ms: quantile(lat, 0.5), p99Ms: quantile(lat, 0.99), rps: a.sent / a.seconds, mbps: a.bytes / 1e6 / a.bulkSeconds,
        cpuUsPerConn: (a.userUs + a.systemUs) / a.sent, userUsPerConn: a.userUs / a.sent,
      };
    }
    for (const name of names.filter((n) => n !== 'direct')) {
      out[name].rpsRatio = out[name].rps / out.direct.rps;
      out[name].mbpsRatio = out[name].mbps / out.direct.mbps;
      out[name].addedP50Ms = out[name].p50Ms - out.direct.p50Ms;
    }
    return { rounds, requests, concurrency, bulkMb, paths: out };
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

/** cpuOf asks the proxy process for its CPU time so far ({ user, system } in µs). */
function cpuOf(child) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('mesh bench: the proxy process did not report its CPU time within 5 s')), 5000);
    child.once('message', (m) => { clearTimeout(timer); resolve(m); });
    child.send('cpu');
  });
}

/** stopChild ends the proxy process with SIGTERM (so a CPU profile gets written), SIGKILL after 5 s. */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return undefined;
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

/** meshMarkdown renders a result as the BENCHMARKS.md table. */
export function meshMarkdown(r) {
  const f = (x, d = 2) => x.toFixed(d);
  const rows = Object.entries(r.paths).map(([name, p]) =>
    `| ${name} | ${f(p.p50Ms, 3)} | ${f(p.p99Ms, 3)} | ${f(p.rps, 0)} | ${f(p.mbps, 0)} | ${name === 'direct' ? '-' : `${f(p.addedP50Ms, 3)} ms, ${f(100 * p.rpsRatio, 0)}% req/s, ${f(100 * p.mbpsRatio, 0)}% MB/s`} | ${name === 'direct' ? '-' : f(p.cpuUsPerConn, 0)} |`);
  return [
    `${r.rounds} rounds × (${r.requests} sequential requests, ${r.requests} requests ${r.concurrency} in flight, 4 × ${r.bulkMb} MB) per path, each on a new connection, the paths taking turns per ${SEQ_BATCH} requests (sequential), per ${BATCH} requests (in flight) and per download; proxy CPU is the proxy process's user + system time per connection in flight:`,
    '',
    'Paths: kproxy and kmesh are the VIP and the published port of a service whose replica is on this host (kernel DNAT); proxy and mesh those of a service whose replica is treated as remote (userspace listener).',
    '',
    '| path | p50 ms | p99 ms | req/s | MB/s | vs direct (added p50, throughput) | proxy CPU µs/conn |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/**
 * serve runs the mesh and the firewall of one node with the two services
 * (the child process, as root): the VIPs on lo, the kernel path's chains
 * (named after node `bench`), and prints the published ports.
 */
async function serve({ address, gateway, subnet }, baselineFile) {
  const publishedLocal = await freePort();
  const publishedRemote = await freePort();
  const view = new RegistryView();
  const service = (name, vip, published, hostPort, endpoint) => ({
    name: `bench_${name}`, stack: 'bench', shortName: name, vip, aliases: [],
    ports: [{ target: TARGET, published, protocol: 'tcp', mode: 'ingress' }],
    endpoints: [{ slot: 1, ports: [{ target: TARGET, protocol: 'tcp', hostPort }], ...endpoint }],
  });
  // The remote endpoint's node address and host port are the container's own: its listeners forward straight to it.
  // The local one's host port is unused (the kernel path goes to the container's address and target port).
  view.set([
    service('local', VIP_LOCAL, publishedLocal, await freePort(), { taskId: 'tlocal', nodeId: 'bench', nodeAddress: gateway }),
    service('remote', VIP_REMOTE, publishedRemote, TARGET, { taskId: 'tremote', nodeId: 'elsewhere', nodeAddress: address }),
  ]);
  // Only the VIPs go on lo (not the DNS address, which is left on loopback and unused).
  const added = [];
  const ours = (a) => a.startsWith('10.233.255.');
  const addresses = {
    add: async (a) => { if (ours(a)) { execFileSync('ip', ['addr', 'replace', `${a}/32`, 'dev', 'lo']); added.push(a); } },
    remove: async (a) => { if (ours(a)) execFileSync('ip', ['addr', 'del', `${a}/32`, 'dev', 'lo']); },
    clear: async () => { for (const a of added.splice(0)) try { execFileSync('ip', ['addr', 'del', `${a}/32`, 'dev', 'lo'], { stdio: 'ignore' }); } catch { /* gone */ } },
  };
  // The container's network is the stack's; the client connects from its gateway address. To a VIP's listener it
  // arrives from the VIP itself (the engine masquerades its networks' sources that leave by another interface, here lo),
  // so the VIPs' addresses count as the stack's too (the kernel path has no replica address there: no rules).
  const stackSubnets = async () => [{ stack: 'bench', subnet }, { stack: 'bench', subnet: '10.233.255.248/29' }];
  const log = (m) => process.stderr.write(`${m}\n`);
  const kernel = new KernelPath({ nodeId: 'bench', locals: async () => new Map([['tlocal', [address]]]), subnets: stackSubnets, publishAddresses: [gateway], log });
  const mesh = new Mesh({ view, stackSubnets, publishAddresses: [gateway], dnsAddress: '127.0.0.1', dnsPort: await freePort(), upstreams: [], addresses, kernelSkips: (l, source) => kernel.skips(l, source), log: () => undefined });
  const firewall = new Firewall({ nodeId: 'bench', log, kernel: (e) => kernel.rules(e) });
  const stop = async () => {
    await firewall.stop().catch(() => undefined);
    await mesh.stop().catch(() => undefined);
    process.exit(0);
  };
  // Exit, not die, on SIGTERM: node --cpu-prof writes its profile on exit; the chains and addresses go first.
  process.on('SIGTERM', () => void stop());
  try {
    await mesh.start();
    await firewall.start();
    await kernel.refresh();
    await firewall.update(view.all());
    if (kernel.served.size !== 1) throw new Error('mesh bench: the kernel path does not serve the local service (bridged traffic must pass netfilter)');
    if (!mesh.listener(`vip:${VIP_REMOTE}:${TARGET}`) || !mesh.listener(`publish:${gateway}:${publishedRemote}`)) throw new Error('mesh bench: the mesh did not listen');
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    await stop();
  }
  process.on('message', () => process.send(process.cpuUsage()));
  let baselinePort;
  if (baselineFile) {
    const { TcpListener } = await import(pathToFileURL(baselineFile).href);
    const askers = new AskerOfAddress({ stackSubnets });
    const l = new TcpListener({
      host: VIP_REMOTE, port: 0, targets: () => [{ address, port: TARGET }],
      allow: async (ip) => canSee(view.get('bench_remote') ?? { stack: 'bench' }, await askers.lookup(ip)),
    });
    baselinePort = await l.start();
  }
  process.stdout.write(`${JSON.stringify({ publishedLocal, publishedRemote, baselinePort })}\n`);
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === '--serve') {
  await serve(JSON.parse(process.argv[3]), process.argv[4]);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { rounds: { type: 'string' }, requests: { type: 'string' }, concurrency: { type: 'string' }, 'bulk-mb': { type: 'string' }, profile: { type: 'string' }, baseline: { type: 'string' } } });
  const r = await runMeshBenchmark({
    rounds: Number(values.rounds ?? 3),
    requests: Number(values.requests ?? 1000),
    concurrency: Number(values.concurrency ?? 8),
    bulkMb: Number(values['bulk-mb'] ?? 16),
    ...(values.profile ? { profileDir: values.profile } : {}),
    ...(values.baseline ? { baseline: values.baseline } : {}),
    log: (m) => process.stderr.write(`${m}\n`),
  });
  console.log(meshMarkdown(r));
  console.log(JSON.stringify(r));
}
