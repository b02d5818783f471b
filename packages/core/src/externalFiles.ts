/**
 * Secrets and configs made in the cluster (`cluster secret create`), which a
 * stack refers to with `external: true` or `name:`: the decisions the
 * manager takes about them, as data.
 */
import type { Service, StackSpec } from './model.js';
import type { FileMount } from './serviceOptions.js';

/** FileKind is a secret or a config. */
export type FileKind = 'secret' | 'config';

/** MissingFile is an external secret or config a stack refers to that the cluster does not have. */
export interface MissingFile {
  /** path is where the stack refers to it: `services.web.secrets[0]`. */
  path: string;
  kind: FileKind;
  name: string;
}

/**
 * resolveExternalFiles fills in the content of every secret and config of a
 * stack that refers to one made in the cluster, from `lookup` (its content,
 * base64, or undefined when there is none). It returns the stack so filled
 * (the input is not changed) and the references that found nothing.
 */
export function resolveExternalFiles(stack: StackSpec, lookup: (kind: FileKind, name: string) => string | undefined): { stack: StackSpec; missing: MissingFile[] } {
  const missing: MissingFile[] = [];
  const services: StackSpec['services'] = {};
  for (const [key, spec] of Object.entries(stack.services)) {
    const fill = (kind: FileKind, list: FileMount[] | undefined): FileMount[] | undefined => list?.map((f, i) => {
      if (f.external === undefined) return f;
      const data = lookup(kind, f.external);
      if (data === undefined) {
        missing.push({ path: `services.${key}.${kind}s[${i}]`, kind, name: f.external });
        return f;
      }
      return { ...f, dataBase64: data };
    });
    const secrets = fill('secret', spec.secrets);
    const configs = fill('config', spec.configs);
    services[key] = { ...spec, ...(secrets ? { secrets } : {}), ...(configs ? { configs } : {}) };
  }
  return { stack: { ...stack, services }, missing };
}

/** usersOf lists the services (full names, sorted) whose spec refers to the secret or config `name` made in the cluster. */
export function usersOf(services: readonly Service[], kind: FileKind, name: string): string[] {
  return services
    .filter((s) => (kind === 'secret' ? s.spec.secrets : s.spec.configs)?.some((f) => f.external === name))
    .map((s) => s.name)
    .sort();
}
