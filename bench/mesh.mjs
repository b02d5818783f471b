/**
 * The mesh benchmark: HTTP through the service proxy (the VIP listener's
 * TcpListener) and through the routing mesh (a Mesh following a registry
 * view, published port on 127.0.0.1) versus straight to the container, in
 * one run, paths interleaved round by round. The container is busybox httpd
 * on the host network, listening on 127.0.0.1, so "direct" has no engine
 * proxy in its way. Every connection is new (busybox httpd speaks HTTP/1.0),
 * which is the case the proxies pay most for.
 *
 *   node bench/mesh.mjs [--rounds 3] [--requests 1000] [--concurrency 8] [--bulk-mb 16]
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { freePort } from './cluster.mjs';
import { docker, IMAGE } from './engine.mjs';
import { TcpListener } from '../packages/agent/dist/mesh/proxy.js';
import { Mesh } from '../packages/agent/dist/mesh/mesh.js';
import { RegistryView } from '../packages/agent/dist/mesh/view.js';

const LABEL = 'cluster-bench.mesh';

/** get fetches a path on a fresh connection and resolves to the byte count (5 s bound). */
function get(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 5000 }, (res) => {
      let n = 0;
      res.on('data', (d) => (n += d.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`status ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** latency times `n` sequential small requests (ms per request). */
async function latency(port, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await get(port, '/small');
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

/** rate runs `n` small requests with `c` in flight and returns requests per second. */
async function rate(port, n, c) {
  let next = 0;
  const t = process.hrtime.bigint();
  const lane = async () => {
    while (next < n) {
      next++;
      await get(port, '/small');
    }
  };
  await Promise.all(Array.from({ length: c }, lane));
  return n / (Number(process.hrtime.bigint() - t) / 1e9);
}

/** bulk downloads the large file `k` times and returns MB/s. */
async function bulk(port, k) {
  let bytes = 0;
  const t = process.hrtime.bigint();
  for (let i = 0; i < k; i++) bytes += await get(port, '/large');
  return bytes / 1e6 / (Number(process.hrtime.bigint() - t) / 1e9);
}

/**
 * runMeshBenchmark measures direct, proxy and mesh paths and returns, per
 * path, median and p99 latency (ms), requests/s and MB/s, plus the ratios to
 * direct.
 */
export async function runMeshBenchmark({ rounds = 3, requests = 1000, concurrency = 8, bulkMb = 16, log = () => undefined } = {}) {
  const port = await freePort();
  const cmd = `mkdir -p /tmp/www && echo hello > /tmp/www/small && dd if=/dev/zero of=/tmp/www/large bs=1M count=${bulkMb} 2>/dev/null && exec httpd -f -p 127.0.0.1:${port} -h /tmp/www`;
  const c = await docker.createContainer({ Image: IMAGE, Cmd: ['sh', '-c', cmd], Labels: { [LABEL]: '1' }, HostConfig: { NetworkMode: 'host' } });
  const closers = [() => c.remove({ force: true }).catch(() => undefined)];
  try {
    await c.start();
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline && !(await get(port, '/small').then(() => true, () => false))) await new Promise((r) => setTimeout(r, 100));

    // The proxies run in their own process, as in the agent: the client does not share their event loop.
    const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--serve', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    closers.push(() => { child.kill('SIGKILL'); });
    const { proxyPort, published } = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('mesh bench: the proxy process did not start within 10 s')), 10000);
      let buf = '';
      child.stdout.on('data', (d) => {
        buf += d.toString();
        if (buf.includes('\n')) { clearTimeout(timer); resolve(JSON.parse(buf)); }
      });
      child.on('exit', (code) => reject(new Error(`mesh bench: the proxy process exited ${code}`)));
    });
    const paths = { direct: port, proxy: proxyPort, mesh: published };
    const acc = Object.fromEntries(Object.keys(paths).map((k) => [k, { lat: [], rps: [], mbps: [] }]));
    for (let r = 0; r < rounds; r++) {
      for (const [name, p] of Object.entries(paths)) {
        acc[name].lat.push(...(await latency(p, requests)));
        acc[name].rps.push(await rate(p, requests, concurrency));
        acc[name].mbps.push(await bulk(p, 4));
        log(`mesh bench: round ${r + 1}/${rounds} ${name} done`);
      }
    }
    const out = {};
    for (const [name, a] of Object.entries(acc)) {
      const lat = a.lat.sort((x, y) => x - y);
      const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
      out[name] = { p50Ms: quantile(lat, 0.5), p99Ms: quantile(lat, 0.99), rps: median(a.rps), mbps: median(a.mbps) };
    }
    for (const name of ['proxy', 'mesh']) {
      out[name].rpsRatio = out[name].rps / out.direct.rps;
      out[name].mbpsRatio = out[name].mbps / out.direct.mbps;
      out[name].addedP50Ms = out[name].p50Ms - out.direct.p50Ms;
    }
    return { rounds, requests, concurrency, bulkMb, paths: out };
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

/** meshMarkdown renders a result as the BENCHMARKS.md table. */
export function meshMarkdown(r) {
  const f = (x, d = 2) => x.toFixed(d);
  const rows = Object.entries(r.paths).map(([name, p]) =>
    `| ${name} | ${f(p.p50Ms, 3)} | ${f(p.p99Ms, 3)} | ${f(p.rps, 0)} | ${f(p.mbps, 0)} | ${name === 'direct' ? '-' : `${f(p.addedP50Ms, 3)} ms, ${f(100 * p.rpsRatio, 0)}% req/s, ${f(100 * p.mbpsRatio, 0)}% MB/s`} |`);
  return [
    `${r.rounds} rounds × (${r.requests} sequential requests, ${r.requests} requests ${r.concurrency} in flight, 4 × ${r.bulkMb} MB), each on a new connection:`,
    '',
    '| path | p50 ms | p99 ms | req/s | MB/s | vs direct (added p50, throughput) |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** serve runs the proxy and the mesh for a target port and prints their ports (the child process). */
async function serve(port) {
  const proxy = new TcpListener({ host: '127.0.0.1', port: 0, targets: () => [{ address: '127.0.0.1', port }] });
  const proxyPort = await proxy.start();
  const published = await freePort();
  const view = new RegistryView();
  view.set([{
    name: 'bench_web', stack: 'bench', shortName: 'web', vip: '', aliases: [],
    ports: [{ target: 80, published, protocol: 'tcp', mode: 'ingress' }],
    endpoints: [{ taskId: 't1', nodeId: 'n1', nodeAddress: '127.0.0.1', slot: 1, ports: [{ target: 80, protocol: 'tcp', hostPort: port }] }],
  }]);
  const none = { add: async () => undefined, remove: async () => undefined, clear: async () => undefined };
  // DNS is not part of this measurement: it gets an unused loopback port.
  const mesh = new Mesh({ view, stackSubnets: async () => [], publishAddresses: ['127.0.0.1'], dnsAddress: '127.0.0.1', dnsPort: await freePort(), upstreams: [], addresses: none, log: () => undefined });
  await mesh.start();
  process.stdout.write(`${JSON.stringify({ proxyPort, published })}\n`);
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === '--serve') {
  await serve(Number(process.argv[3]));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { rounds: { type: 'string' }, requests: { type: 'string' }, concurrency: { type: 'string' }, 'bulk-mb': { type: 'string' } } });
  const r = await runMeshBenchmark({
    rounds: Number(values.rounds ?? 3),
    requests: Number(values.requests ?? 1000),
    concurrency: Number(values.concurrency ?? 8),
    bulkMb: Number(values['bulk-mb'] ?? 16),
    log: (m) => process.stderr.write(`${m}\n`),
  });
  console.log(meshMarkdown(r));
  console.log(JSON.stringify(r));
}
