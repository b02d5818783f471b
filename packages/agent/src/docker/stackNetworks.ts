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
import { LABELS, overlayGateway, overlayNodeRange, type OverlayNetwork } from '@cluster/core';

/** OVERLAY_LABELS are the labels of an engine network that is part of the overlay. */
export const OVERLAY_LABELS = {
  /** vni is the network's VXLAN id; the agent joins a VXLAN device of that id to the network's bridge. */
  vni: 'cluster.overlay.vni',
  /** external marks an external network the agent made from the cluster's allocation. */
  external: 'cluster.external',
} as const;

/** OverlaySettings say how this node makes overlay networks. */
export interface OverlaySettings {
  /** index is the node's overlay index from the manager (0: none yet, the network is made without the overlay). */
  index: () => number;
  /** mtu is the MTU of the containers' interfaces, leaving room for the VXLAN header. @default 1450 */
  mtu: number;
  /** warn is told when a network cannot be made on the overlay's subnet. @default silent */
  warn?: (msg: string) => void;
}

/**
 * networkCreateOptions are the engine's create options for a network: a
 * plain bridge, or, with an allocation and a node index, a bridge on the
 * network's subnet that hands out addresses from this node's range only,
 * with an MTU that leaves room for the encapsulation and the VNI as a label.
 */
export function networkCreateOptions(name: string, labels: Record<string, string>, alloc: OverlayNetwork | undefined, overlay: { index: number; mtu: number } | undefined): Dockerode.NetworkCreateOptions {
  const base: Dockerode.NetworkCreateOptions = { Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: labels };
  if (!alloc || !overlay || overlay.index <= 0) return base;
  return {
    ...base,
    Labels: { ...labels, [OVERLAY_LABELS.vni]: String(alloc.vni) },
    IPAM: { Driver: 'default', Config: [{ Subnet: alloc.subnet, IPRange: overlayNodeRange(alloc.subnet, overlay.index), Gateway: overlayGateway(alloc.subnet) }] },
    Options: { 'com.docker.network.driver.mtu': String(overlay.mtu) },
  };
}

/** StackNetworks make and find the networks of stacks on one engine. */
export interface StackNetworks {
  /**
   * ensure makes the network `name` if missing and returns its id (the oldest
   * when the engine holds two): a stack's (labelled with it) or, with
   * `external`, an external one made from the cluster's allocation. A
   * network made here gets `userLabels` (the top-level network's `labels`)
   * besides the cluster's own, which win.
   */
  ensure(name: string, stack: string, alloc?: OverlayNetwork, external?: boolean, userLabels?: Record<string, string>): Promise<string>;
  /** named lists the networks called exactly `name`, oldest first. */
  named(name: string): Promise<Dockerode.NetworkInspectInfo[]>;
}

function statusOf(err: unknown): number {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : 0;
}

/** stackNetworks works on one engine; `fail` turns an engine error into the caller's error. */
export function stackNetworks(docker: Dockerode, fail: (what: string, err: unknown) => Error, overlay?: OverlaySettings): StackNetworks {
  async function named(name: string): Promise<Dockerode.NetworkInspectInfo[]> {
    try {
      const found = await docker.listNetworks({ filters: { name: [name] } });
      return found.filter((n) => n.Name === name).sort((a, b) => createdKey(a.Created).localeCompare(createdKey(b.Created)) || a.Id.localeCompare(b.Id));
    } catch (err) {
      throw fail(`list networks "${name}"`, err);
    }
  }

  async function ensure(name: string, stack: string, alloc?: OverlayNetwork, external = false, userLabels: Record<string, string> = {}): Promise<string> {
    await withHostLock(`network-${name}`, async () => {
      if ((await named(name)).length > 0) return;
      const labels: Record<string, string> = { ...userLabels, ...(external ? { [OVERLAY_LABELS.external]: 'true' } : { [LABELS.stack]: stack }) };
      const options = networkCreateOptions(name, labels, alloc, overlay ? { index: overlay.index(), mtu: overlay.mtu } : undefined);
      try {
        await docker.createNetwork(options);
      } catch (err) {
        if (statusOf(err) === 409) return;
        if (!options.IPAM) throw fail(`create network "${name}"`, err);
        // The engine holds the subnet already (another cluster on this engine, or a network made by hand):
        // the network is made without the overlay, so the task runs, and the reason is logged.
        overlay?.warn?.(`network ${name}: cannot use the overlay's subnet ${alloc?.subnet ?? ''} on this engine (${err instanceof Error ? err.message : String(err)}); made as a plain bridge: its containers reach other hosts only through published ports`);
        try {
          await docker.createNetwork(networkCreateOptions(name, labels, undefined, undefined));
        } catch (again) {
          if (statusOf(again) !== 409) throw fail(`create network "${name}"`, again);
        }
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
