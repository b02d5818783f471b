/**
 * What a task needs on its node besides its container: the stack's named
 * volumes and extra networks (labelled cluster.stack so that they are found
 * again), and its secrets and configs written as files that only the owner
 * may read, bind-mounted read-only. File contents are never logged.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { LABELS } from '@cluster/core';
import type { Assignment } from '../executor.js';
import { extraNetworks, stackVolumeNames, type TaskFile } from './serviceOptionsConfig.js';

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}

/**
 * writeTaskFiles writes the secrets and configs of an assignment under
 * `<filesDir>/<taskId>/`, mode 0400 (or the given mode without write bits), and
 * returns where each is. An assignment without any writes nothing.
 */
export async function writeTaskFiles(filesDir: string, a: Assignment): Promise<TaskFile[]> {
  const all = [...(a.spec.secrets ?? []), ...(a.spec.configs ?? [])];
  if (all.length === 0) return [];
  const dir = join(filesDir, a.task.id);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const out: TaskFile[] = [];
  for (const [i, mount] of all.entries()) {
    const hostPath = join(dir, `${i}-${mount.name.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
    await rm(hostPath, { force: true });
    // A container user other than root reads it only when the mode says so (secrets default to 0444 as in Compose).
    await writeFile(hostPath, Buffer.from(mount.dataBase64, 'base64'), { mode: mount.mode & 0o555 || 0o400 });
    out.push({ mount, hostPath });
  }
  return out;
}

/** removeTaskFiles deletes what writeTaskFiles wrote for a task; nothing there is fine. */
export async function removeTaskFiles(filesDir: string, taskId: string): Promise<void> {
  if (!/^[A-Za-z0-9_-]+$/.test(taskId)) return;
  await rm(join(filesDir, taskId), { recursive: true, force: true });
}

/** ensureVolumes creates the stack's named volumes a task mounts, with their labels and the stack's; existing ones are kept. */
export async function ensureVolumes(docker: Dockerode, a: Assignment): Promise<void> {
  for (const name of stackVolumeNames(a.spec)) {
    try {
      await docker.getVolume(name).inspect();
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      const labels = a.spec.mounts?.find((m) => m.type === 'volume' && m.source === name)?.labels;
      await docker.createVolume({ Name: name, Labels: { ...labels, [LABELS.stack]: a.task.stack } });
    }
  }
}


/** joinExtraNetworks connects a made container to the task's other networks, with its aliases there. */
export async function joinExtraNetworks(docker: Dockerode, containerId: string, a: Assignment, primary: string): Promise<void> {
  for (const n of extraNetworks(a.spec, primary)) {
    try {
      await docker.getNetwork(n.name).connect({ Container: containerId, EndpointConfig: { Aliases: n.aliases } });
    } catch (err) {
      // Already connected (an adopted container) is fine.
      if (statusOf(err) !== 403 && statusOf(err) !== 409) throw err;
    }
  }
}

/** removeStackNetworks removes the stack's extra networks once no container uses them. */
export async function removeStackNetworks(docker: Dockerode, stack: string): Promise<void> {
  const nets = await docker.listNetworks({ filters: { label: [`${LABELS.stack}=${stack}`] } });
  for (const n of nets) await docker.getNetwork(n.Id).remove().catch(() => undefined);
}

/** removeStackVolumes removes the named volumes of a stack (`cluster rm --volumes`); a volume in use stays. */
export async function removeStackVolumes(docker: Dockerode, stack: string): Promise<string[]> {
  const { Volumes } = await docker.listVolumes({ filters: { label: [`${LABELS.stack}=${stack}`] } });
  const removed: string[] = [];
  for (const v of Volumes ?? []) {
    try {
      await docker.getVolume(v.Name).remove();
      removed.push(v.Name);
    } catch {
      // In use by a container of another stack, or gone already.
    }
  }
  return removed;
}
