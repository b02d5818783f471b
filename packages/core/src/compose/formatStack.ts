import { stringify } from 'yaml';
import type { StackSpec } from '../model.js';

/** StackFormat is how `cluster config` prints a normalized stack. */
export type StackFormat = 'yaml' | 'json';

/**
 * formatStack prints a normalized stack as YAML or JSON, for `cluster
 * config`. The content of its secrets is left out (`dataBase64: ""`): the
 * output is meant for CI logs; configs keep theirs.
 */
export function formatStack(spec: StackSpec, format: StackFormat): string {
  const services = Object.fromEntries(Object.entries(spec.services).map(([name, s]) => [
    name,
    s.secrets === undefined ? s : { ...s, secrets: s.secrets.map((f) => ({ ...f, dataBase64: '' })) },
  ]));
  const shown = { ...spec, services };
  return format === 'json' ? `${JSON.stringify(shown, null, 2)}\n` : stringify(shown, { aliasDuplicateObjects: false });
}
