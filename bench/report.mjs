/**
 * The results section of BENCHMARKS.md: medians, ratios and targets from the
 * raw samples of one `npm run bench`, written between two marker comments so
 * the hand-written parts of the file stay as they are.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fmtBytes, fmtMs, fmtRatio, median, ratio, summarize, table, verdict } from './stats.mjs';

export const BEGIN = '<!-- bench:results:begin (written by npm run bench) -->';
export const END = '<!-- bench:results:end -->';

function cell(samples) {
  const s = summarize(samples);
  return s.n === 0 ? 'n/a' : `${fmtMs(s.median)} (${fmtMs(s.min)}–${fmtMs(s.max)})`;
}

export const FAILOVER_BEGIN = '<!-- bench:failover:begin (written by npm run bench -- --only failover) -->';
export const FAILOVER_END = '<!-- bench:failover:end -->';

/** renderFailover is the failover table (bench/failover.mjs results) as Markdown lines. */
export function renderFailover(f) {
  const out = [];
  const [o, s] = [median(f.ours), median(f.swarm)];
  out.push('### Failover in the lab: kill a host → 6 replicas running on the other two (engines polled every 75 ms)', '');
  const victims = (rs) => rs.map((x) => `lab${x.victim} (${x.held})`).join(', ');
  out.push(table(['', 'cluster', 'Swarm (3 nodes: 1 manager, 2 workers)', 'ours/Swarm'],
    [['6 replicas, 3 hosts', cell(f.ours), cell(f.swarm), fmtRatio(ratio(o, s))],
      ['killed host (replicas it held), per run', victims(f.oursRuns ?? []), victims(f.swarmRuns ?? []), '']]), '');
  out.push(`Median (min–max) of ${f.runs} runs each; target under 3 s: ${verdict(o, 3000)}. Swarm untuned (dispatcher heartbeat 5 s); \`cluster\` with its defaults (heartbeat 500 ms, down after 2.5 s).`, '');
  if (f.errors?.length) out.push(`Errors: ${f.errors.join('; ')}`, '');
  return out;
}

/** renderResults turns one run's results into Markdown. */
export function renderResults(r) {
  const out = [];
  out.push(`Run of ${r.date} on ${r.machine}; \`${r.command}\`; ${r.engine ? `${r.engine.runs} runs each` : ''}.`, '');
  if (r.engine) {
    const e = r.engine;
    // `base` (another checkout's `cluster`, --base DIR) is shown only in runs that measured it.
    const withBase = Object.values(e.convergence).some((c) => (c.base ?? []).length > 0);
    const b = (cols) => (withBase ? cols : []);
    out.push('### Convergence: one service, N replicas, command → N-th container start (engine event)', '');
    const rows = Object.keys(e.convergence).map((n) => {
      const c = e.convergence[n];
      const [o, s, f, fn, base] = [median(c.ours), median(c.swarm), median(c.floor), median(c.floornet ?? []), median(c.base ?? [])];
      return [`N=${n}`, cell(c.ours), ...b([cell(c.base ?? [])]), cell(c.swarm), cell(c.floor), cell(c.floornet ?? []),
        fmtRatio(ratio(o, s)), fmtRatio(ratio(o, f)), fmtRatio(ratio(o, fn)), ...b([fmtRatio(ratio(o, base))]),
        fmtMs(median(e.convergenceSecondary[n].ours)), ...b([fmtMs(median(e.convergenceSecondary[n].base ?? []))]), fmtMs(median(e.convergenceSecondary[n].swarm))];
    });
    out.push(table(['', 'cluster', ...b(['before (--base)']), 'Swarm', 'engine floor', 'floor on a stack network', 'ours/Swarm', 'ours/floor', 'ours/stack-network floor',
      ...b(['ours/before']), '`cluster deploy` returned', ...b(['before: `cluster deploy` returned']), '`service ps` shows N running'], rows), '');
    out.push('Median (min–max). The engine floor creates and starts the containers in parallel on the default bridge; the floor on a stack network '
      + 'first makes a user-defined bridge network (in the timed span) and puts them on it, as Compose does for a project and `cluster` for each stack on a node. '
      + 'The last columns are when each control plane itself reported convergence.', '');
    out.push('### Scale 10 → 30 and rm of 30', '');
    const sr = (what, key) => {
      const m = e[key];
      const [o, s, f, fn, base] = [median(m.ours), median(m.swarm), median(m.floor), median(m.floornet ?? []), median(m.base ?? [])];
      return [what, cell(m.ours), ...b([cell(m.base ?? [])]), cell(m.swarm), cell(m.floor), cell(m.floornet ?? []),
        fmtRatio(ratio(o, s)), fmtRatio(ratio(o, f)), fmtRatio(ratio(o, fn)), ...b([fmtRatio(ratio(o, base))])];
    };
    out.push(table(['', 'cluster', ...b(['before (--base)']), 'Swarm', 'engine floor', 'floor on a stack network', 'ours/Swarm', 'ours/floor', 'ours/stack-network floor', ...b(['ours/before'])],
      [sr('scale 10 → 30 (20 starts)', 'scale'), sr('rm (30 removals)', 'rm')]), '');
  }
  if (typeof r.failover === 'string') out.push('### Failover', '', r.failover, '');
  else if (r.failover) out.push(...renderFailover(r.failover));
  if (r.control?.length) {
    out.push('### Control plane at scale (simulated nodes, real sessions)', '');
    const rows = r.control.map((c) => [`${c.nodes} nodes, ${c.tasks} tasks`, fmtMs(c.joinMs), fmtMs(c.deployMs), fmtMs(c.dispatchMs), fmtMs(c.ackMs),
      `${Math.round(c.tasksPerSec)}`, `${fmtMs(c.managerCpuMs)} (${c.managerCpuCores.toFixed(2)} cores)`, `${fmtBytes(c.rssAfter)} (peak ${fmtBytes(c.peakRss)})`, fmtBytes(c.bytesPerTask)]);
    out.push(table(['run', 'join + connect', 'deploy call', 'all assigned at nodes', 'all running at manager', 'tasks/s', 'manager CPU', 'manager RSS', 'RSS per task'], rows), '');
  }
  if (r.mesh) out.push('### Names across hosts: direct, proxy, mesh (bench/mesh.mjs)', '', r.mesh, '');
  out.push('### Targets (issue 7)', '');
  const t = [];
  if (r.engine) {
    for (const n of Object.keys(r.engine.convergence)) {
      const c = r.engine.convergence[n];
      const rf = ratio(median(c.ours), median(c.floor));
      const rs = ratio(median(c.ours), median(c.swarm));
      const rn = ratio(median(c.ours), median(c.floornet ?? []));
      t.push([`convergence N=${n} within 1.2× the floor`, fmtRatio(rf), verdict(rf, 1.2)]);
      t.push([`convergence N=${n} within 1.2× the floor on a stack network`, fmtRatio(rn), verdict(rn, 1.2)]);
      t.push([`convergence N=${n} under half of Swarm`, fmtRatio(rs), verdict(rs, 0.5)]);
    }
  }
  const fo = typeof r.failover === 'object' ? median(r.failover.ours) : NaN;
  t.push(['failover under 3 s', Number.isFinite(fo) ? fmtMs(fo) : 'not measured', verdict(fo, 3000)]);
  if (r.control?.length) {
    const tps = median(r.control.map((c) => c.tasksPerSec));
    const bpt = median(r.control.map((c) => c.bytesPerTask));
    t.push(['control plane ≥ 10,000 tasks/s end to end', `${Math.round(tps)} tasks/s`, verdict(tps, 10000, false)]);
    t.push(['under 2 KiB of manager memory per task', fmtBytes(bpt), verdict(bpt, 2048)]);
  }
  out.push(table(['target', 'measured (median)', ''], t), '');
  return out.join('\n');
}

/** writeResults replaces the results section of the file (or another marked block; adding it at the end if missing). */
export function writeResults(file, markdown, begin = BEGIN, end = END) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${begin}\n${markdown}\n${end}`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  const next = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
