import type { ServiceSpec } from './model.js';

/**
 * redactSpec is a service spec fit to be shown: the content of its secrets
 * and configs is left out. Only assignments to the task's own node carry it.
 */
export function redactSpec(spec: ServiceSpec): ServiceSpec {
  if (spec.secrets === undefined && spec.configs === undefined) return spec;
  const hide = (files: ServiceSpec['secrets']): ServiceSpec['secrets'] => files?.map((f) => ({ ...f, dataBase64: '' }));
  return { ...spec, ...(spec.secrets ? { secrets: hide(spec.secrets) } : {}), ...(spec.configs ? { configs: hide(spec.configs) } : {}) };
}
