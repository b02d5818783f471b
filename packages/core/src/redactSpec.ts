import type { ServiceSpec } from './model.js';

/**
 * redactSpec is a service spec fit to be shown: the content of its secrets
 * and configs and its registry credentials are left out. Only assignments to
 * the task's own node carry them.
 */
export function redactSpec(spec: ServiceSpec): ServiceSpec {
  if (spec.secrets === undefined && spec.configs === undefined && spec.pullAuth === undefined) return spec;
  const hide = (files: ServiceSpec['secrets']): ServiceSpec['secrets'] => files?.map((f) => ({ ...f, dataBase64: '' }));
  const { pullAuth, ...rest } = spec;
  return {
    ...rest,
    ...(spec.secrets ? { secrets: hide(spec.secrets) } : {}),
    ...(spec.configs ? { configs: hide(spec.configs) } : {}),
    // Which registry is known; the credentials are not shown.
    ...(pullAuth ? { pullAuth: { serverAddress: pullAuth.serverAddress } } : {}),
  };
}
