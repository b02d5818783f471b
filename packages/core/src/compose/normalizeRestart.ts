import type { RestartPolicy } from '../model.js';
import type { LoadContext, ValueNode } from './context.js';
import { entriesOf, parseInteger, quote, readDuration, readInteger, readMap, readString, warnUnsupported } from './nodes.js';

/** DEFAULT_RESTART is the restart policy of a service that sets none. */
export const DEFAULT_RESTART: Readonly<RestartPolicy> = { condition: 'any', delayMs: 500, maxAttempts: 0, windowMs: 0 };

const RESTART_FORM = 'no, always, on-failure, on-failure:N or unless-stopped';

/**
 * normalizeRestart reads the service key `restart` (no | always |
 * on-failure[:N] | unless-stopped) as a restart policy with default timings.
 */
export function normalizeRestart(ctx: LoadContext, node: ValueNode | undefined, path: string): RestartPolicy | undefined {
  const text = readString(ctx, node, path, { expected: RESTART_FORM });
  if (text === undefined) return undefined;
  const policy = (condition: RestartPolicy['condition'], maxAttempts = 0): RestartPolicy => ({ ...DEFAULT_RESTART, condition, maxAttempts });
  if (text === 'no') return policy('none');
  if (text === 'always' || text === 'unless-stopped') return policy('any');
  if (text === 'on-failure') return policy('on-failure');
  const attempts = text.startsWith('on-failure:') ? parseInteger(text.slice('on-failure:'.length), { min: 0 }) : undefined;
  if (attempts !== undefined) return policy('on-failure', attempts);
  ctx.error(node, path, `invalid restart ${quote(text)} (${RESTART_FORM})`);
  return undefined;
}

/** normalizeRestartPolicy reads `deploy.restart_policy` {condition, delay, max_attempts, window}. */
export function normalizeRestartPolicy(ctx: LoadContext, node: ValueNode | undefined, path: string): RestartPolicy | undefined {
  const map = readMap(ctx, node, path);
  if (map === undefined) return undefined;
  const policy: RestartPolicy = { ...DEFAULT_RESTART };
  let ok = true;
  for (const e of entriesOf(ctx, map, path)) {
    switch (e.key) {
      case 'condition': {
        const text = readString(ctx, e.value, e.path, { expected: 'any, on-failure or none' });
        if (text === 'any' || text === 'on-failure' || text === 'none') policy.condition = text;
        else {
          if (text !== undefined) ctx.error(e.value, e.path, `invalid condition ${quote(text)} (any, on-failure or none)`);
          ok = false;
        }
        break;
      }
      case 'delay': {
        const ms = readDuration(ctx, e.value, e.path);
        if (ms === undefined) ok = false;
        else policy.delayMs = ms;
        break;
      }
      case 'window': {
        const ms = readDuration(ctx, e.value, e.path);
        if (ms === undefined) ok = false;
        else policy.windowMs = ms;
        break;
      }
      case 'max_attempts': {
        const n = readInteger(ctx, e.value, e.path, { name: 'max_attempts', min: 0, expected: 'a non-negative integer, 0 for no bound' });
        if (n === undefined) ok = false;
        else policy.maxAttempts = n;
        break;
      }
      default:
        warnUnsupported(ctx, e);
    }
  }
  return ok ? policy : undefined;
}
