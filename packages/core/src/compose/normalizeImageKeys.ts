/**
 * Service keys that say how a node gets the service's image: `platform`
 * (the platform asked of a pull) and `pull_policy` (when the node pulls).
 */
import type { PullPolicy } from '../serviceOptions.js';
import { quote, readString } from './nodes.js';
import type { KeyNormalizer } from './ServiceDraft.js';

/** PLATFORM_RE is `os/arch` or `os/arch/variant`, as the engine takes them ("linux/arm64/v8"). */
const PLATFORM_RE = /^[a-z0-9_]+\/[a-z0-9_]+(\/[a-z0-9_]+)?$/;
/** REFRESHED are the policies that pull again after a while: a node pulls a missing image only (no schedule to refresh on). */
const REFRESHED = /^(daily|weekly|every_[0-9]+[smhdw]+)$/;

/** IMAGE_KEYS are the normalizers of platform and pull_policy. */
export const IMAGE_KEYS: [string, KeyNormalizer][] = [
  ['platform', (ctx, e, draft) => {
    const text = readString(ctx, e.value, e.path);
    if (text === undefined) return;
    if (PLATFORM_RE.test(text)) draft.spec.platform = text;
    else ctx.error(e.value, e.path, `invalid platform ${quote(text)} (os/arch or os/arch/variant, like "linux/amd64" or "linux/arm64/v8")`);
  }],
  ['pull_policy', (ctx, e, draft) => {
    const text = readString(ctx, e.value, e.path);
    if (text === undefined) return;
    const policy: PullPolicy | undefined = text === 'if_not_present' ? 'missing' : (['always', 'missing', 'never', 'build'] as const).find((p) => p === text);
    if (policy !== undefined) {
      draft.spec.pullPolicy = policy;
      draft.pullPolicyEntry = e;
    } else if (REFRESHED.test(text)) {
      draft.spec.pullPolicy = 'missing';
      ctx.warn(e.value, e.path, `${quote(text)} is taken as "missing": a node pulls the image when it lacks it, and does not pull it again on a schedule`);
    } else ctx.error(e.value, e.path, `invalid pull_policy ${quote(text)} (always, missing, never, build, daily, weekly or every_<duration>)`);
  }],
];
