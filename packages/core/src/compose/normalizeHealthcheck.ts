import { isScalar, isSeq } from 'yaml';
import type { Healthcheck } from '../model.js';
import type { LoadContext, ValueNode } from './context.js';
import { describe, entriesOf, readBoolean, readDuration, readInteger, readMap, readStringList, warnUnsupported } from './nodes.js';

/** DEFAULT_HEALTHCHECK holds Docker's defaults for what a healthcheck leaves out. */
export const DEFAULT_HEALTHCHECK: Readonly<Healthcheck> = { test: [], intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0 };

const TEST_FORM = 'a command string, or a list starting with "CMD", "CMD-SHELL" or "NONE"';

/**
 * normalizeHealthcheck reads `healthcheck`. A string test runs in a shell
 * (["CMD-SHELL", test]); `disable: true` gives ["NONE"]; without a test the
 * image's own test is kept (test []), as in Docker.
 */
export function normalizeHealthcheck(ctx: LoadContext, node: ValueNode | undefined, path: string): Healthcheck | undefined {
  const map = readMap(ctx, node, path);
  if (map === undefined) return undefined;
  const check: Healthcheck = { ...DEFAULT_HEALTHCHECK, test: [] };
  let ok = true;
  let disabled = false;
  let testGiven = false;
  const duration = (value: ValueNode | undefined, at: string, set: (ms: number) => void): void => {
    const ms = readDuration(ctx, value, at);
    if (ms === undefined) ok = false;
    else set(ms);
  };
  for (const e of entriesOf(ctx, map, path)) {
    switch (e.key) {
      case 'test': {
        const test = normalizeTest(ctx, e.value, e.path);
        if (test === undefined) ok = false;
        else {
          check.test = test;
          testGiven = test[0] !== 'NONE';
        }
        break;
      }
      case 'disable': {
        const b = readBoolean(ctx, e.value, e.path);
        if (b === undefined) ok = false;
        disabled = b === true;
        break;
      }
      case 'interval':
        duration(e.value, e.path, (ms) => (check.intervalMs = ms));
        break;
      case 'timeout':
        duration(e.value, e.path, (ms) => (check.timeoutMs = ms));
        break;
      case 'start_period':
        duration(e.value, e.path, (ms) => (check.startPeriodMs = ms));
        break;
      case 'retries': {
        const n = readInteger(ctx, e.value, e.path, { name: 'retries', min: 0, expected: 'a non-negative integer' });
        if (n === undefined) ok = false;
        else check.retries = n;
        break;
      }
      case 'start_interval':
        // The engines' API of Docker 20.10 (1.41) has no start interval.
        warnUnsupported(ctx, e, 'during start_period the check runs every interval');
        break;
      default:
        warnUnsupported(ctx, e);
    }
  }
  if (disabled && testGiven) {
    ctx.error(map, path, 'disable: true conflicts with test (give one of them)');
    ok = false;
  }
  if (disabled) check.test = ['NONE'];
  return ok ? check : undefined;
}

function normalizeTest(ctx: LoadContext, node: ValueNode | undefined, path: string): string[] | undefined {
  if (isScalar(node) && typeof node.value === 'string') {
    if (node.value.trim() !== '') return ['CMD-SHELL', node.value];
    ctx.error(node, path, `invalid test "" (${TEST_FORM})`);
    return undefined;
  }
  if (!isSeq(node)) {
    ctx.error(node, path, `expected ${TEST_FORM}, got ${describe(node)}`);
    return undefined;
  }
  const test = readStringList(ctx, node, path);
  if (test === undefined) return undefined;
  const [kind, ...args] = test;
  const valid = (kind === 'NONE' && args.length === 0) || (kind === 'CMD' && args.length > 0) || (kind === 'CMD-SHELL' && args.length === 1);
  if (valid) return test;
  ctx.error(node, path, `invalid test ${JSON.stringify(test)} (${TEST_FORM}; "CMD-SHELL" takes one command string)`);
  return undefined;
}
