// engine-failover measures, in the lab, how long the replicas of a host whose
// Docker engine dies under its live agent take to run elsewhere: RUNS times
// (default 5), 6 replicas of one service over 3 hosts, `lab.sh kill-engine`
// of the busiest host (dockerd, containerd, shims and containers; the agent
// lives), then the time from issuing the kill to 6 replicas running, one per
// slot, on the two other hosts, seen through their engines every 100 ms.
// Needs root and a build (npx tsc -b). Usage: node bench/engine-failover.mjs [RUNS]
import { exact, lab, ok, running, sleepService, stackFile, json } from '../test/dist/lab/lab.js';
const ALL = [1, 2, 3];
const runs = Number(process.argv[2] ?? 5);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, ms, f) { const end = Date.now() + ms; for (;;) { const v = await f(); if (v) return v; if (Date.now() > end) throw new Error(what); await sleep(100); } }
lab('up', '3');
try {
  ok('deploy', stackFile('m', sleepService(6)), '--detach');
  const times = [];
  for (let i = 0; i < runs; i++) {
    const before = await until('6 running', 90000, async () => { const cs = await running('m_app', ALL); return exact(cs, 6) ? cs : undefined; });
    const count = new Map(); for (const c of before) count.set(c.host, (count.get(c.host) ?? 0) + 1);
    const victim = [...count.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const others = ALL.filter((h) => h !== victim);
    const t0 = Date.now();
    lab('kill-engine', String(victim));
    await until('moved', 60000, async () => exact(await running('m_app', others), 6));
    const ms = Date.now() - t0;
    times.push(ms);
    console.log(`run ${i + 1}: kill-engine lab${victim} (${count.get(victim)} replicas): 6 on lab${others.join('+lab')} after ${ms} ms`);
    lab('start-engine', String(victim));
    await until('ready', 60000, () => json('nodes').find((n) => n.name === `lab${victim}`)?.status === 'ready');
    await sleep(3000);
  }
  times.sort((a, b) => a - b);
  console.log(`min ${times[0]} median ${times[Math.floor(times.length / 2)]} max ${times.at(-1)} ms`);
} finally {
  lab('down');
}
