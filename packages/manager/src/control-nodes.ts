import { ClusterError, type Node, type NodeAvailability } from '@cluster/core';
import type { ControlHandlers, UpdateNodeRequest__Output } from '@cluster/api';
import type { Store } from './store.js';
import { nodeToApi } from './convert.js';
import { unary } from './rpc.js';
import { checkLabel } from './nodeInput.js';

/** NodeControlOptions are what the node operations of the Control API work on. */
export interface NodeControlOptions {
  store: Store;
  /** kick asks the orchestrator for a pass (tasks move on drain, labels change placement). */
  kick: () => void;
}

const AVAILABILITIES: readonly NodeAvailability[] = ['active', 'pause', 'drain'];

/** nodeControlHandlers implements the node operations of the Control service: UpdateNode. */
export function nodeControlHandlers(o: NodeControlOptions): Pick<ControlHandlers, 'UpdateNode'> {
  const { store } = o;
  return {
    UpdateNode: unary((req) => ({ node: nodeToApi(updateNode(store, req, o.kick)) })),
  };
}

/** findNode resolves a node by id or name; a name shared by several nodes must be given as an id. */
export function findNode(store: Store, ref: string): Node {
  if (!ref) throw new ClusterError('invalid_argument', 'node: give a node name or id');
  const byId = store.node(ref);
  if (byId) return byId;
  const named = store.allNodes().filter((n) => n.name === ref);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    throw new ClusterError('invalid_argument', `node: name "${ref}" is ambiguous (ids ${named.map((n) => n.id).join(', ')}); give an id`);
  }
  throw new ClusterError('not_found', `node: "${ref}" not found (see: cluster nodes)`);
}

function updateNode(store: Store, req: UpdateNodeRequest__Output, kick: () => void): Node {
  const node = findNode(store, req.node);
  const next: Node = { ...node, labels: { ...node.labels } };
  if (req.availability) {
    if (!AVAILABILITIES.includes(req.availability as NodeAvailability)) {
      throw new ClusterError('invalid_argument', `node: invalid availability "${req.availability}" (active, pause or drain)`);
    }
    next.availability = req.availability as NodeAvailability;
  }
  for (const [k, v] of Object.entries(req.addLabels ?? {})) {
    checkLabel('node', k, v);
    next.labels[k] = v;
  }
  for (const k of req.removeLabels ?? []) {
    if (!(k in next.labels)) throw new ClusterError('not_found', `node: ${node.name} has no label "${k}"`);
    delete next.labels[k];
  }
  store.update({ putNodes: [next] });
  kick();
  return next;
}
