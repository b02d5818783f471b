import type { LoadContext } from './context.js';
import type { Entry } from './nodes.js';
import { MAX_REPLICAS } from '../limits.js';
import { entriesOf, isNull, quote, readDuration, readInteger, readMap, readString, warnUnsupported } from './nodes.js';
import { normalizeCommand } from './normalizeCommand.js';
import { normalizeDeploy } from './normalizeDeploy.js';
import { normalizeHealthcheck } from './normalizeHealthcheck.js';
import { normalizeKeyValues } from './normalizeKeyValues.js';
import { normalizePorts } from './normalizePorts.js';
import { normalizeRestart } from './normalizeRestart.js';
import { type KeyNormalizer, newServiceDraft, type ServiceDraft } from './ServiceDraft.js';
import { normalizeBuild, normalizeEnvFile } from './normalizeBuild.js';
import { normalizeDependsOn } from './normalizeDependsOn.js';
import { fileMounts } from './normalizeFileMounts.js';
import { HOST_KEYS } from './normalizeHostKeys.js';
import { RUN_KEYS } from './normalizeRunKeys.js';
import { IMAGE_KEYS } from './normalizeImageKeys.js';
import { applyLegacyBounds, LEGACY_RESOURCE_KEYS } from './normalizeLegacyResources.js';
import { networkMode, normalizeLinks, normalizeNetworks, warnContainerName } from './normalizeNetworks.js';
import { normalizeTmpfs, normalizeVolumes } from './normalizeVolumes.js';

const IMAGE_FORM = 'an image reference such as "nginx:1.27"';

/** Optional string fields of ServiceSpec that a service key sets as written. */
type StringField = 'workingDir' | 'user' | 'hostname' | 'stopSignal';

/** stringKey reads a string key into a spec field, checking its form. */
function stringKey(field: StringField, valid: RegExp, expected: string, coerce = false): KeyNormalizer {
  return (ctx, e, draft) => {
    const text = readString(ctx, e.value, e.path, { coerce, expected });
    if (text === undefined) return;
    if (valid.test(text)) draft.spec[field] = text;
    else ctx.error(e.value, e.path, `invalid ${e.key} ${quote(text)} (${expected})`);
  };
}

/** SERVICE_KEYS maps every supported service key to its normalizer; any other key is reported. */
const SERVICE_KEYS = new Map<string, KeyNormalizer>([
  ['image', (ctx, e, draft) => {
    const text = readString(ctx, e.value, e.path, { expected: IMAGE_FORM });
    if (text === undefined) return;
    if (/^[^\s]+$/.test(text)) draft.spec.image = text;
    else ctx.error(e.value, e.path, `invalid image ${quote(text)} (${IMAGE_FORM})`);
  }],
  ['build', normalizeBuild],
  ['env_file', normalizeEnvFile],
  ['command', (ctx, e, draft) => {
    const words = normalizeCommand(ctx, e.value, e.path);
    if (words !== undefined) draft.spec.command = words;
  }],
  ['entrypoint', (ctx, e, draft) => {
    const words = normalizeCommand(ctx, e.value, e.path);
    if (words !== undefined) draft.spec.entrypoint = words;
  }],
  ['environment', (ctx, e, draft) => {
    // A variable written without a value comes from the caller's environment, or is left out.
    draft.spec.env = normalizeKeyValues(ctx, e.value, e.path, (key) => (Object.hasOwn(ctx.env, key) ? ctx.env[key] : undefined));
  }],
  ['labels', (ctx, e, draft) => {
    draft.spec.labels = { ...draft.spec.labels, ...normalizeKeyValues(ctx, e.value, e.path, () => '') };
  }],
  ['ports', (ctx, e, draft) => {
    const { ports, origins } = normalizePorts(ctx, e.value, e.path);
    draft.spec.ports = ports;
    draft.portOrigins = origins;
  }],
  ['deploy', normalizeDeploy],
  ['restart', (ctx, e, draft) => {
    const policy = normalizeRestart(ctx, e.value, e.path);
    if (policy !== undefined) draft.restartKey = { policy, entry: e };
  }],
  ['healthcheck', (ctx, e, draft) => {
    const check = normalizeHealthcheck(ctx, e.value, e.path);
    if (check !== undefined) draft.spec.healthcheck = check;
  }],
  ['stop_grace_period', (ctx, e, draft) => {
    const ms = readDuration(ctx, e.value, e.path);
    if (ms !== undefined) draft.spec.stopGracePeriodMs = ms;
  }],
  ['working_dir', stringKey('workingDir', /^\//, 'an absolute path')],
  ['user', stringKey('user', /^[^\s:]+(:[^\s:]+)?$/, 'a user or uid, optionally ":group"', true)],
  ['hostname', stringKey('hostname', /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/, 'letters, digits, "." and "-"')],
  ['stop_signal', stringKey('stopSignal', /^(?:[A-Za-z][A-Za-z0-9+-]*|\d+)$/, 'a signal such as "SIGTERM"', true)],
  ...HOST_KEYS,
  ...RUN_KEYS,
  ...IMAGE_KEYS,
  ...LEGACY_RESOURCE_KEYS,
  ['volumes', normalizeVolumes],
  ['tmpfs', normalizeTmpfs],
  ['networks', normalizeNetworks],
  ['links', normalizeLinks],
  ['container_name', warnContainerName],
  ['network_mode', networkMode],
  ['depends_on', normalizeDependsOn],
  ['secrets', fileMounts('secrets')],
  ['configs', fileMounts('configs')],
  ['profiles', () => undefined], // read by loadStack before services are normalized
  ['scale', (ctx, e, draft) => {
    const n = readInteger(ctx, e.value, e.path, { name: 'scale', min: 0, max: MAX_REPLICAS, expected: `an integer 0-${MAX_REPLICAS}` });
    if (n !== undefined) draft.scale = { replicas: n, entry: e };
  }],
  ['volumes_from', (ctx, e) => {
    ctx.warn(e.keyNode, e.path, 'ignored: the tasks of two services may run on different hosts, which share no container volumes; mount the same named volume in both services instead');
  }],
]);

/**
 * normalizeService reads one service into a draft whose spec has every
 * default filled in; the stack checks across services with the draft.
 */
export function normalizeService(ctx: LoadContext, service: Entry): ServiceDraft | undefined {
  const draft = newServiceDraft(ctx.serviceName(service.key));
  if (isNull(service.value)) {
    ctx.error(service.keyNode, service.path, `image is required (${IMAGE_FORM})`);
    return undefined;
  }
  const map = readMap(ctx, service.value, service.path);
  if (map === undefined) return undefined;
  let hasImage = false;
  for (const e of entriesOf(ctx, map, service.path)) {
    if (e.key.startsWith('x-')) continue;
    const normalize = SERVICE_KEYS.get(e.key);
    if (normalize === undefined) {
      warnUnsupported(ctx, e);
      continue;
    }
    if (e.key === 'image') hasImage = true;
    // A key written without a value (`command:`) is the same as no key, except image.
    if (isNull(e.value)) {
      if (e.key === 'image') ctx.error(e.keyNode, e.path, `expected ${IMAGE_FORM}, got null`);
      continue;
    }
    normalize(ctx, e, draft);
  }
  finish(ctx, service, draft, hasImage);
  return draft;
}

/** finish makes the decisions that need every key read. */
function finish(ctx: LoadContext, service: Entry, draft: ServiceDraft, hasImage: boolean): void {
  const { spec } = draft;
  if (draft.buildEntry !== undefined) {
    // As Compose names a built image that has no `image:`: <stack>-<service>.
    if (!hasImage) spec.image = `${ctx.resources.stack}-${spec.name}`;
  } else if (!hasImage) {
    ctx.error(service.keyNode, service.path, `image is required (${IMAGE_FORM})`);
  }
  if (spec.pullPolicy === 'build' && draft.buildEntry === undefined && draft.pullPolicyEntry !== undefined) {
    ctx.error(draft.pullPolicyEntry.value, draft.pullPolicyEntry.path, 'pull_policy "build" needs a build section: the image is built by cluster deploy, never pulled');
  }
  if (Object.keys(draft.envFromFiles).length > 0) spec.env = { ...draft.envFromFiles, ...spec.env };
  if (draft.deployRestart !== undefined) {
    spec.restart = draft.deployRestart;
    if (draft.restartKey !== undefined) ctx.warn(draft.restartKey.entry.keyNode, draft.restartKey.entry.path, 'ignored, deploy.restart_policy is given');
  } else if (draft.restartKey !== undefined) {
    spec.restart = draft.restartKey.policy;
  }
  applyLegacyBounds(ctx, draft);
  if (draft.scale !== undefined) {
    // As in Compose: `scale` is the replica count, and must agree with deploy.replicas when both are given.
    const { replicas, entry } = draft.scale;
    if (draft.replicasEntry === undefined) spec.replicas = replicas;
    else if (spec.replicas !== replicas) ctx.error(entry.keyNode, entry.path, `scale ${replicas} differs from deploy.replicas ${spec.replicas} (give one of them)`);
    if (spec.mode === 'global') ctx.error(entry.keyNode, entry.path, 'not allowed with mode global (one task runs on every eligible node)');
  }
  if (draft.macAddressEntry !== undefined && (spec.mode === 'global' || spec.replicas > 1)) {
    const e = draft.macAddressEntry;
    ctx.warn(e.keyNode, e.path, 'every replica gets this MAC address: two of them on one host and network conflict (use one replica, or drop mac_address)');
  }
  if (spec.mode === 'global' && draft.replicasEntry !== undefined) {
    ctx.error(draft.replicasEntry.keyNode, draft.replicasEntry.path, 'not allowed with mode global (one task runs on every eligible node)');
  }
}
