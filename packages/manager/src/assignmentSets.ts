import type { AssignmentSet, ServiceVersionSpec } from '@cluster/api';
import type { Task } from '@cluster/core';
import { taskToApi } from './convert.js';

/** DEFAULT_CHUNK_BYTES is the bound on one assignment message, well under the gRPC message bound. */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/** AssignmentSetInput is a logical assignment set, before it is cut into messages. */
export interface AssignmentSetInput {
  type: 'FULL' | 'INCREMENTAL';
  tasks: readonly Task[];
  removed?: readonly string[];
  purgeVolumes?: readonly string[];
  /** specJson gives the spec text of a task's service version (called once per version and message). */
  specJson: (t: Task) => string;
  /** chunkBytes bounds the estimated size of one message. @default DEFAULT_CHUNK_BYTES */
  chunkBytes?: number;
}

/**
 * assignmentSets cuts an assignment set into messages of at most about
 * chunkBytes each (a single spec larger than that goes alone with its
 * tasks), each carrying the specs of its tasks once per service version;
 * every message but the last says `more`. Sizes are estimated from the
 * UTF-8 sizes of the strings plus a generous allowance per field.
 */
export function assignmentSets(input: AssignmentSetInput): AssignmentSet[] {
  const chunkBytes = input.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const out: AssignmentSet[] = [];
  let tasks: AssignmentSet['tasks'] & object = [];
  let specs: ServiceVersionSpec[] = [];
  let removed: string[] = [];
  let inMessage = new Set<string>();
  let size = 0;
  const flush = (): void => {
    out.push({ type: input.type, tasks, removed, purgeVolumes: [], specs, more: true });
    tasks = [];
    specs = [];
    removed = [];
    inMessage = new Set();
    size = 0;
  };
  for (const t of input.tasks) {
    const key = `${t.service}|${t.specVersion}`;
    const own = taskBytes(t);
    let spec: string | undefined;
    if (!inMessage.has(key)) spec = input.specJson(t);
    let add = own + (spec === undefined ? 0 : textBytes(spec) + textBytes(t.service) + 16);
    if (size > 0 && size + add > chunkBytes) {
      flush();
      spec ??= input.specJson(t);
      add = own + textBytes(spec) + textBytes(t.service) + 16;
    }
    if (spec !== undefined && !inMessage.has(key)) {
      specs.push({ service: t.service, specVersion: t.specVersion, specJson: spec });
      inMessage.add(key);
    }
    tasks.push(taskToApi(t, ''));
    size += add;
  }
  for (const id of input.removed ?? []) {
    const add = textBytes(id) + 4;
    if (size > 0 && size + add > chunkBytes) flush();
    removed.push(id);
    size += add;
  }
  // Volume purges apply with the whole set: they ride on its last message.
  out.push({ type: input.type, tasks, removed, purgeVolumes: [...(input.purgeVolumes ?? [])], specs, more: false });
  return out;
}

/** taskBytes estimates the encoded size of a task without its spec. */
function taskBytes(t: Task): number {
  return 96 + textBytes(t.id) + textBytes(t.stack) + textBytes(t.service) + textBytes(t.nodeId) + textBytes(t.containerId) + textBytes(t.error) + (t.ports?.length ?? 0) * 24;
}

/** textBytes is the UTF-8 size of a string. */
function textBytes(s: string): number {
  return Buffer.byteLength(s);
}
