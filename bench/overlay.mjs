/**
 * The overlay benchmark (issue 12), in the lab (deploy/lab/lab.sh, 2 hosts):
 * container to container, side by side in one run, from a client in a
 * container's own network namespace (the host's node, entered with nsenter,
 * so timings are made with hrtime and not with a shell's process starts):
 *
 * - `direct`: a client on lab1 to the server on lab1, at its address (one bridge, no tunnel): the floor;
 * - `overlay`: a client on lab2 to the server on lab1, at its overlay address (VXLAN);
 * - `vip`: the same client to the server's VIP (DNATed in lab2's kernel to that address);
 * - `proxy`: the same client to the service's published port on its own host (lab2:8099), through
 *   lab2's userspace proxy to lab1's host port: the path every port took across hosts before the
 *   overlay (the proxies of VIPs and task addresses work alike).
 *
 * The server is busybox httpd (HTTP/1.0: a new connection per request, the
 * case a proxy pays most for). Per path: the median and p90 of sequential
 * small requests, requests per second with 8 in flight, and the throughput
 * of 64 MB downloads. The paths take turns round by round, in a rotated
 * order, so the machine's other load hits them alike. Traffic goes only to
 * lab addresses.
 *
 *   node bench/overlay.mjs [--rounds 3] [--requests 400]
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Dockerode from 'dockerode';
import { CLI, REPO } from './cluster.mjs';
import { sh } from './failover.mjs';

const LAB_SH = join(REPO, 'deploy/lab/lab.sh');
const labDir = () => process.env.BENCH_LAB_DIR ?? join(tmpdir(), 'cluster-lab-bench');
const labEnv = () => ({ ...process.env, LAB_DIR: labDir(), CLUSTER_HOME: join(labDir(), 'home') });
const engine = (k) => new Dockerode({ socketPath: `/run/clab/host${k}.sock`, timeout: 5000 });

const STACK = `services:
  srv:
    image: cluster-test/busybox:latest
    command: ["sh", "-c", "mkdir -p /www && echo ok > /www/small && dd if=/dev/zero of=/www/big bs=1M count=64 2>/dev/null && exec httpd -f -p 80 -h /www"]
    ports: ["8099:80"]
    stop_grace_period: 1s
    deploy:
      placement:
        constraints: ["node.hostname==lab1"]
  near:
    image: cluster-test/busybox:latest
    command: ["sleep", "86400"]
    stop_grace_period: 1s
    deploy:
      placement:
        constraints: ["node.hostname==lab1"]
  far:
    image: cluster-test/busybox:latest
    command: ["sleep", "86400"]
    stop_grace_period: 1s
    deploy:
      placement:
        constraints: ["node.hostname==lab2"]
`;

/** CLIENT is the measuring program run in a container's network namespace: it prints one JSON line. */
const CLIENT = `
const http = require('node:http');
const [host, port, requests, bulk] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3]), Number(process.argv[4])];
const get = (path) => new Promise((resolve, reject) => {
  const req = http.request({ host, port, path, agent: false, timeout: 10000 }, (res) => {
    let n = 0; res.on('data', (d) => (n += d.length)); res.on('end', () => resolve(n)); res.on('error', reject);
  });
  req.on('timeout', () => req.destroy(new Error('timeout'))); req.on('error', reject); req.end();
});
(async () => {
  const lat = [];
  for (let i = 0; i < requests; i++) { const t = process.hrtime.bigint(); await get('/small'); lat.push(Number(process.hrtime.bigint() - t) / 1e6); }
  lat.sort((a, b) => a - b);
  let next = 0; const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: 8 }, async () => { while (next < requests) { next++; await get('/small'); } }));
  const rps = requests / (Number(process.hrtime.bigint() - t0) / 1e9);
  let bytes = 0; const t1 = process.hrtime.bigint();
  for (let i = 0; i < bulk; i++) bytes += await get('/big');
  const mbps = bytes / 1048576 / (Number(process.hrtime.bigint() - t1) / 1e9);
  console.log(JSON.stringify({ p50: lat[Math.floor(lat.length / 2)], p90: lat[Math.floor(lat.length * 0.9)], rps, mbps, bytes }));
})().catch((e) => { console.error(e.message); process.exit(1); });
`;

async function must(cmd, args, timeoutMs = 300000) {
  const r = await sh(cmd, args, labEnv(), timeoutMs);
  if (r.code !== 0) throw new Error(`bench overlay: ${cmd} ${args.join(' ')} exited ${r.code}: ${r.err.trim().split('\n').slice(-3).join(' / ')}`);
  return r.out;
}

/** container finds the running container of a service on lab host k: its pid and its address on the stack network. */
async function container(k, service) {
  for (let i = 0; i < 100; i++) {
    const [c] = await engine(k).listContainers({ filters: { label: [`cluster.service=${service}`], status: ['running'] } });
    if (c) {
      const info = await engine(k).getContainer(c.Id).inspect();
      const address = info.NetworkSettings.Networks['ovb_default']?.IPAddress ?? '';
      if (address) return { pid: info.State.Pid, address };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`bench overlay: no running ${service} on lab${k}`);
}

/** measure runs the client in the network namespace of `pid` against `host`. */
async function measure(pid, host, port, requests, bulk) {
  const r = await sh('nsenter', [`--net=/proc/${pid}/ns/net`, process.execPath, '-e', CLIENT, host, String(port), String(requests), String(bulk)], process.env, 180000);
  if (r.code !== 0) throw new Error(`bench overlay: client to ${host}: ${r.err.trim()}`);
  return JSON.parse(r.out.trim().split('\n').pop());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** runOverlayBenchmark brings up a 2-host lab, measures the four paths `rounds` times and takes the lab down. */
export async function runOverlayBenchmark({ rounds = 3, requests = 400, bulk = 4, log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  await must('bash', [LAB_SH, 'up', '2']);
  try {
    const dir = join(labDir(), 'stacks', 'ovb');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'compose.yml'), STACK);
    await must(process.execPath, [CLI, 'deploy', join(dir, 'compose.yml'), '--name', 'ovb', '--timeout', '120s']);
    const srv = await container(1, 'ovb_srv');
    const near = await container(1, 'ovb_near');
    const far = await container(2, 'ovb_far');
    // The VIP, as the far client's DNS (the agent's, 10.233.0.1) gives it.
    let vip = '';
    for (let i = 0; i < 100 && !vip; i++) {
      const r = await sh('nsenter', [`--net=/proc/${far.pid}/ns/net`, 'busybox', 'nslookup', 'srv.ovb', '10.233.0.1'], process.env, 10000);
      vip = [...r.out.matchAll(/Address(?: \d+)?:\s*(10\.233\.\d+\.\d+)/g)].map((m) => m[1]).find((a) => a !== '10.233.0.1') ?? '';
      if (!vip) await new Promise((res) => setTimeout(res, 200));
    }
    const paths = [
      { name: 'direct', from: near.pid, to: srv.address, port: 80, what: 'lab1 → lab1, container address (one bridge)' },
      { name: 'overlay', from: far.pid, to: srv.address, port: 80, what: 'lab2 → lab1, container address (VXLAN)' },
      ...(vip ? [{ name: 'vip', from: far.pid, to: vip, port: 80, what: 'lab2 → lab1, service VIP (kernel DNAT, VXLAN)' }] : []),
      { name: 'proxy', from: far.pid, to: '10.231.0.12', port: 8099, what: 'lab2 → lab1, published port on lab2 (userspace proxy, host port)' },
    ];
    const results = new Map(paths.map((p) => [p.name, []]));
    for (let round = 0; round < rounds; round++) {
      const order = paths.map((_, i) => paths[(i + round) % paths.length]);
      for (const p of order) {
        const m = await measure(p.from, p.to, p.port, requests, bulk);
        results.get(p.name).push(m);
        log(`overlay bench round ${round + 1}: ${p.name} p50 ${m.p50.toFixed(3)} ms, ${Math.round(m.rps)} req/s, ${Math.round(m.mbps)} MB/s`);
      }
    }
    const summary = paths.map((p) => {
      const ms = results.get(p.name);
      return { name: p.name, what: p.what, p50: median(ms.map((m) => m.p50)), p90: median(ms.map((m) => m.p90)), rps: median(ms.map((m) => m.rps)), mbps: median(ms.map((m) => m.mbps)) };
    });
    return { rounds, requests, bulkMb: bulk * 64, summary };
  } finally {
    await must('bash', [LAB_SH, 'down']).catch((err) => log(String(err)));
  }

}

/** overlayMarkdown renders the results as a table with ratios to `direct`. */
export function overlayMarkdown(r) {
  const base = r.summary.find((s) => s.name === 'direct');
  const lines = [
    `| path | what | p50 ms | added p50 ms | p90 ms | req/s (8 in flight) | of direct | MB/s (${r.bulkMb} MB) | of direct |`,
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of r.summary) {
    lines.push(`| ${s.name} | ${s.what} | ${s.p50.toFixed(3)} | ${(s.p50 - base.p50).toFixed(3)} | ${s.p90.toFixed(3)} | ${Math.round(s.rps)} | ${((s.rps / base.rps) * 100).toFixed(0)}% | ${Math.round(s.mbps)} | ${((s.mbps / base.mbps) * 100).toFixed(0)}% |`);
  }
  const vip = r.summary.find((s) => s.name === 'vip');
  const overlay = r.summary.find((s) => s.name === 'overlay');
  if (vip && overlay) lines.push('', `VIP against the task's own address: p50 ${(vip.p50 - overlay.p50 >= 0 ? '+' : '')}${(vip.p50 - overlay.p50).toFixed(3)} ms, ${((vip.rps / overlay.rps) * 100).toFixed(0)}% of its req/s, ${((vip.mbps / overlay.mbps) * 100).toFixed(0)}% of its MB/s.`);
  lines.push('', `Medians of ${r.rounds} rounds; ${r.requests} sequential requests (new connection each) and ${r.requests} with 8 in flight per round and path.`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, requests: { type: 'string', default: '400' } } });
  const r = await runOverlayBenchmark({ rounds: Number(values.rounds), requests: Number(values.requests) });
  process.stdout.write(`${overlayMarkdown(r)}\n`);
}
