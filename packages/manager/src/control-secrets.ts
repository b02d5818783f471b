/**
 * Secrets and configs made in the cluster (`cluster secret create NAME
 * FILE`, `cluster config create …`), which stacks refer to with `external:
 * true` or `name:`. Each is kept in the store's metadata under a sealed key
 * (SEALED_META_PREFIX: AES-256-GCM with the store key, as service specs
 * are); its content is never answered, listed or logged. A deploy copies
 * the content into the specs of the services that use it (sealed too), so a
 * name is made once and cannot be changed: remove it (when no service uses
 * it) and create it again, then deploy.
 */
import { Buffer } from 'node:buffer';
import { ClusterError, EXTERNAL_NAME_RE, MAX_FILE_MOUNT_BYTES, usersOf, type FileKind, type Service } from '@cluster/core';
import type { ControlHandlers, SecretInfo } from '@cluster/api';
import type { Store } from './store.js';
import { SEALED_META_PREFIX } from './sqliteStore.js';
import { unary } from './rpc.js';

/** StoredFile is what the store keeps of a secret or config made in the cluster. */
interface StoredFile {
  dataBase64: string;
  bytes: number;
  createdAtMs: number;
}

const keyOf = (kind: FileKind, name: string): string => `${SEALED_META_PREFIX}${kind}/${name}`;

/** kindOf reads a request's kind. */
function kindOf(kind: string): FileKind {
  if (kind === 'secret' || kind === 'config') return kind;
  throw new ClusterError('invalid_argument', `secret: invalid kind "${kind.slice(0, 20)}" (secret or config)`);
}

/** checkName refuses a name a stack could not refer to. */
function checkName(kind: FileKind, name: string): void {
  if (!EXTERNAL_NAME_RE.test(name)) throw new ClusterError('invalid_argument', `${kind}: invalid name ${JSON.stringify(name.slice(0, 80))} (letters, digits, ".", "_" and "-", at most 64; starts with a letter or digit)`);
}

/** externalContent gives the content (base64) of a secret or config made in the cluster, for DeployStack. */
export function externalContent(store: Store, kind: FileKind, name: string): string | undefined {
  const raw = store.getMeta(keyOf(kind, name));
  return raw === undefined ? undefined : (JSON.parse(raw) as StoredFile).dataBase64;
}

function info(kind: FileKind, name: string, f: StoredFile, services: readonly Service[]): SecretInfo {
  return { kind, name, bytes: f.bytes, createdAtMs: f.createdAtMs, usedBy: usersOf(services, kind, name) };
}

/** secretControlHandlers implements CreateSecret, ListSecrets and RemoveSecret. */
export function secretControlHandlers(o: { store: Store; now?: () => number }): Pick<ControlHandlers, 'CreateSecret' | 'ListSecrets' | 'RemoveSecret'> {
  const { store } = o;
  const now = o.now ?? Date.now;
  return {
    CreateSecret: unary((req) => {
      const kind = kindOf(req.kind);
      checkName(kind, req.name);
      const data = Buffer.from(req.data);
      if (data.length > MAX_FILE_MOUNT_BYTES) throw new ClusterError('invalid_argument', `${kind} create: ${data.length} bytes (at most ${MAX_FILE_MOUNT_BYTES} for a ${kind})`);
      if (store.getMeta(keyOf(kind, req.name)) !== undefined) {
        throw new ClusterError('already_exists', `${kind} create: ${kind} "${req.name}" exists already (a ${kind} is made once: cluster ${kind} rm it when no stack uses it, then create it again)`);
      }
      const stored: StoredFile = { dataBase64: data.toString('base64'), bytes: data.length, createdAtMs: now() };
      store.setMeta(keyOf(kind, req.name), JSON.stringify(stored));
      return { secret: info(kind, req.name, stored, []) };
    }),
    ListSecrets: unary((req) => {
      const kind = kindOf(req.kind);
      const prefix = keyOf(kind, '');
      const services = store.allServices();
      const secrets = store.metaWithPrefix(prefix)
        .map(([key, raw]) => [key.slice(prefix.length), JSON.parse(raw) as StoredFile] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, f]) => info(kind, name, f, services));
      return { secrets };
    }),
    RemoveSecret: unary((req) => {
      const kind = kindOf(req.kind);
      if (store.getMeta(keyOf(kind, req.name)) === undefined) throw new ClusterError('not_found', `${kind} rm: no ${kind} "${req.name.slice(0, 80)}" (see: cluster ${kind} ls)`);
      const services = store.allServices();
      const users = usersOf(services, kind, req.name);
      if (users.length > 0) {
        const stacks = [...new Set(users.map((u) => services.find((s) => s.name === u)?.stack ?? u))].sort();
        throw new ClusterError('failed_precondition', `${kind} rm: ${kind} "${req.name}" is used by stack${stacks.length === 1 ? '' : 's'} ${stacks.join(', ')} (services ${users.join(', ')}); remove them, or deploy them without it, first`);
      }
      store.deleteMeta([keyOf(kind, req.name)]);
      return { name: req.name };
    }),
  };
}
