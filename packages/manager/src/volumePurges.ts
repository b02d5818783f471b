/**
 * The stacks whose volumes the nodes must delete (`cluster rm --volumes`),
 * kept in the store so that a node that was away when the stack was removed
 * deletes them when it comes back. Deploying the stack again ends the purge.
 */
import type { Store } from './store.js';

const KEY = 'volume_purges';

/** volumePurges lists the stacks whose volumes are to be deleted on every node. */
export function volumePurges(store: Store): string[] {
  try {
    const list = JSON.parse(store.getMeta(KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

/** addVolumePurge records that a stack's volumes are to be deleted. */
export function addVolumePurge(store: Store, stack: string): void {
  const list = volumePurges(store);
  if (!list.includes(stack)) store.setMeta(KEY, JSON.stringify([...list, stack]));
}

/** clearVolumePurge ends the purge of a stack that is deployed again. */
export function clearVolumePurge(store: Store, stack: string): void {
  const list = volumePurges(store);
  if (list.includes(stack)) store.setMeta(KEY, JSON.stringify(list.filter((s) => s !== stack)));
}
