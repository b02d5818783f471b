/**
 * The service keys that bound resources outside `deploy` (the Compose file
 * format 2 way, still in the specification): `cpus`, `mem_limit`,
 * `mem_reservation` and `pids_limit`. They set the same limits and
 * reservations as `deploy.resources`; a value given both ways must agree.
 */
import type { Resources } from '../serviceOptions.js';
import type { LoadContext } from './context.js';
import { readCpus } from './normalizeDeploy.js';
import { readBytes } from './normalizeHostKeys.js';
import { type Entry, readInteger } from './nodes.js';
import type { KeyNormalizer, LegacyBound, ServiceDraft } from './ServiceDraft.js';

function bound(kind: LegacyBound['kind'], field: LegacyBound['field'], deployName: string, read: (ctx: LoadContext, e: Entry) => number | undefined): KeyNormalizer {
  return (ctx, e, draft) => {
    const value = read(ctx, e);
    if (value !== undefined) draft.legacyBounds.push({ kind, field, deployName, value, entry: e });
  };
}

/** LEGACY_RESOURCE_KEYS maps the keys to their normalizers. */
export const LEGACY_RESOURCE_KEYS: [string, KeyNormalizer][] = [
  ['cpus', bound('limits', 'nanoCpus', 'limits.cpus', (ctx, e) => readCpus(ctx, e.value, e.path))],
  ['mem_limit', bound('limits', 'memoryBytes', 'limits.memory', (ctx, e) => readBytes(ctx, e.value, e.path))],
  ['mem_reservation', bound('reservations', 'memoryBytes', 'reservations.memory', (ctx, e) => readBytes(ctx, e.value, e.path))],
  ['pids_limit', bound('limits', 'pids', 'limits.pids', (ctx, e) => readInteger(ctx, e.value, e.path, { name: 'pids_limit', min: 1, expected: 'a positive integer' }))],
];

/** applyLegacyBounds sets what the keys read, once `deploy` is read too: a bound deploy.resources gives differently is an error. */
export function applyLegacyBounds(ctx: LoadContext, draft: ServiceDraft): void {
  const { spec } = draft;
  for (const b of draft.legacyBounds) {
    const current: Resources = spec[b.kind] ?? { nanoCpus: 0, memoryBytes: 0 };
    const given = current[b.field] ?? 0;
    if (given > 0 && given !== b.value) {
      ctx.error(b.entry.keyNode, b.entry.path, `differs from deploy.resources.${b.deployName} (give one of them)`);
      continue;
    }
    spec[b.kind] = { ...current, [b.field]: b.value };
  }
  const { limits, reservations } = spec;
  const reservation = draft.legacyBounds.find((b) => b.kind === 'reservations');
  if (reservation !== undefined && limits && reservations && limits.memoryBytes > 0 && reservations.memoryBytes > limits.memoryBytes) {
    ctx.error(reservation.entry.keyNode, reservation.entry.path, 'the memory reservation is above the memory limit');
  }
}
