/**
 * The bridge networks of stacks on one engine: made once per host even when
 * several agents share the engine, labelled with their stack, and found again
 * by name. A container's primary network is given to the engine by id, since
 * a name the engine holds twice cannot be used.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { LABELS } from '@cluster/core';

/** StackNetworks make and find the networks of stacks on one engine. */
export interface StackNetworks {
  /** ensure makes the stack network `name` if missing and returns its id (the oldest when the engine holds two). */
  ensure(name: string, stack: string): Promise<string>;
  /** named lists the networks called exactly `name`, oldest first. */
  named(name: string): Promise<Dockerode.NetworkInspectInfo[]>;
}

function statusOf(err: unknown): number {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : 0;
}

/** stackNetworks works on one engine; `fail` turns an engine error into the caller's error. */
export function stackNetworks(docker: Dockerode, fail: (what: string, err: unknown) => Error): StackNetworks {
  async function named(name: string): Promise<Dockerode.NetworkInspectInfo[]> {
    try {
      const found = await docker.listNetworks({ filters: { name: [name] } });
      return found.filter((n) => n.Name === name).sort((a, b) => createdKey(a.Created).localeCompare(createdKey(b.Created)) || a.Id.localeCompare(b.Id));
    } catch (err) {
      throw fail(`list networks "${name}"`, err);
    }
  }

  async function ensure(name: string, stack: string): Promise<string> {
    await withHostLock(`network-${name}`, async () => {
      if ((await named(name)).length > 0) return;
      try {
        await docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { [LABELS.stack]: stack } });
      } catch (err) {
        if (statusOf(err) !== 409) throw fail(`create network "${name}"`, err);
      }
    });
    // Two agents sharing one engine can both create the network at once; the
    // engine then holds two of that name and refuses to use either by name.
    // Every agent uses the oldest one, by id, and removes the others (a
    // removal fails harmlessly while a container still uses one).
    const all = await named(name);
    const oldest = all[0];
    if (!oldest) throw fail(`network "${name}"`, new Error('vanished right after it was made'));
    for (const extra of all.slice(1)) {
      await docker.getNetwork(extra.Id).remove().catch(() => undefined);
    }
    return oldest.Id;
  }

  return { ensure, named };
}

/** createdKey makes an engine timestamp sortable as text: its fraction of a second padded to nanoseconds. */
function createdKey(created: string): string {
  const m = /^(.*?T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(created);
  if (!m) return created;
  return `${new Date(`${m[1]}${m[3] ?? 'Z'}`).toISOString().slice(0, 19)}.${(m[2] ?? '').padEnd(9, '0')}`;
}

/**
 * withHostLock runs `fn` while holding a lock shared by every agent process on
 * this host (an atomic mkdir), so agents that share one engine never create
 * the same network twice: the engine's own duplicate check races. A lock left
 * by a dead process is taken over after 10 s.
 */
async function withHostLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const dir = join(tmpdir(), `cluster-agent-${key.replace(/[^\w.-]/g, '_')}.lock`);
  const deadline = Date.now() + 15_000;
  let held = false;
  for (;;) {
    try {
      mkdirSync(dir);
      held = true;
      break;
    } catch {
      const age = Date.now() - (statSyncSafe(dir) ?? Date.now());
      if (age > 10_000) rmSync(dir, { recursive: true, force: true });
      else if (Date.now() > deadline) break; // proceed unlocked rather than never
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  try {
    return await fn();
  } finally {
    if (held) rmSync(dir, { recursive: true, force: true });
  }
}

function statSyncSafe(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}
