/**
 * sim-agents: a child process of the control-plane benchmark that runs many
 * simulated nodes: each joins with the real join flow (token, CSR, pinned
 * CA), then runs the real agent Session and Worker over an in-memory
 * FakeExecutor. It reports progress to its parent over IPC.
 *
 * Messages in: {type:'start', manager, token, count, prefix, joinConcurrency}, {type:'reset-lag'}, {type:'stop'}.
 * Messages out: {type:'progress', joined, connected, assigned, running, errors, sessionsLost, lostWhy, lastError, maxLagMs}, {type:'stopped'};
 * lostWhy counts the sessions lost by the reason their Session gave.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FakeExecutor, Session, Worker, joinCluster } from '@cluster/agent';

/** CountingWorker is a Worker that counts the distinct tasks assigned to run on it. */
class CountingWorker extends Worker {
  constructor(opts, assigned) {
    super(opts);
    this.assignedIds = assigned;
  }
  count(tasks) {
    for (const a of tasks) if (a.task.desiredState === 'running') this.assignedIds.add(a.task.id);
  }
  setAssignments(all) {
    this.count(all);
    return super.setAssignments(all);
  }
  applyChanges(upsert, removed) {
    this.count(upsert);
    return super.applyChanges(upsert, removed);
  }
}

const state = { joined: 0, connected: 0, errors: 0, sessionsLost: 0, lostWhy: {}, lastError: '' };
const assigned = new Set();
const running = new Set();
const nodes = [];
let ticker;

// The longest the event loop was held (ms): simulated nodes share a process, so a held loop delays all their heartbeats.
const lag = monitorEventLoopDelay({ resolution: 20 });
lag.enable();

function progress() {
  process.send?.({ type: 'progress', joined: state.joined, connected: state.connected, assigned: assigned.size, running: running.size, errors: state.errors, sessionsLost: state.sessionsLost, lostWhy: state.lostWhy, lastError: state.lastError, maxLagMs: Math.round(lag.max / 1e6) });
}

/** pool runs fn over items with at most `limit` in flight. */
async function pool(items, limit, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function startNode(o, i) {
  const name = `${o.prefix}-${i}`;
  let creds;
  for (let attempt = 1; ; attempt++) {
    try {
      creds = await joinCluster({ manager: o.manager, token: o.token, name, hostname: name, advertise: '127.0.0.1', labels: {}, timeoutMs: 60000 });
      break;
    } catch (err) {
      state.lastError = String(err?.message ?? err);
      if (attempt >= 3) { state.errors++; return; }
    }
  }
  state.joined++;
  const executor = new FakeExecutor({ idPrefix: `${i}-` });
  let session;
  const worker = new CountingWorker({
    executor,
    nodeId: creds.nodeId,
    onStatus: (batch) => {
      for (const obs of batch) if (obs.state === 'running') running.add(obs.taskId);
      session.report(batch);
    },
  }, assigned);
  await worker.start();
  let wasConnected = false;
  session = new Session({
    manager: o.manager,
    caPem: creds.caPem,
    certPem: creds.certPem,
    keyPem: creds.keyPem,
    worker,
    hello: () => ({ hostname: name, advertiseAddress: '127.0.0.1', engineVersion: 'fake', nanoCpus: 2e9, memoryBytes: 8 * 2 ** 30 }),
    log: () => undefined,
    onState: (s) => {
      if (s.connected && !wasConnected) state.connected++;
      if (!s.connected && wasConnected) {
        state.connected--;
        state.sessionsLost++;
        const why = s.lastError || 'unknown';
        state.lostWhy[why] = (state.lostWhy[why] ?? 0) + 1;
        if (s.lastError) state.lastError = `session: ${s.lastError}`;
      }
      wasConnected = s.connected;
    },
  });
  session.start();
  nodes.push({ session, worker });
}

process.on('message', async (m) => {
  if (m.type === 'start') {
    ticker = setInterval(progress, 100);
    const ids = Array.from({ length: m.count }, (_, i) => i + 1);
    await pool(ids, m.joinConcurrency ?? 16, (i) => startNode(m, i));
    progress();
  } else if (m.type === 'reset-lag') {
    lag.reset();
  } else if (m.type === 'stop') {
    clearInterval(ticker);
    for (const n of nodes) n.session.stop();
    process.send?.({ type: 'stopped' });
    setTimeout(() => process.exit(0), 100);
  }
});
process.on('disconnect', () => process.exit(0));
