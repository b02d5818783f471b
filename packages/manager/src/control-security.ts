import { randomBytes } from 'node:crypto';
import { ClusterError, NAME_RE } from '@cluster/core';
import type { ControlHandlers } from '@cluster/api';
import type { Store } from './store.js';
import type { Logger } from './log.js';
import type { ClusterIdentity } from './identity.js';
import type { JoinRole, SecurityLedger } from './ledger.js';
import { caDigest, csrKeyDigest, issueCertificate, signJoinToken } from './pki/index.js';
import { callerOf } from './auth/guard.js';
import { nodeToApi } from './convert.js';
import { findNode } from './control-nodes.js';
import { unary } from './rpc.js';
import { checkLabels } from './nodeInput.js';

/** SecurityControlOptions are what the security part of the Control API works on. */
export interface SecurityControlOptions {
  store: Store;
  identity: ClusterIdentity;
  ledger: SecurityLedger;
  log: Logger;
  /** kick asks the orchestrator for a pass. */
  kick: () => void;
  /** disconnect ends a node's session with a reason. */
  disconnect: (nodeId: string, reason: string) => void;
  /** advertise is the `host:port` agents dial, put into token answers. */
  readonly advertise: string;
  /** tokenTtlMs is the default lifetime of join tokens. @default 24 h */
  tokenTtlMs: number;
  /** adminCertTtlMs is the default lifetime of operator certificates. @default 365 days */
  adminCertTtlMs?: number;
  now?: () => number;
}

const DAY = 24 * 60 * 60 * 1000;
/** MAX_TOKEN_TTL_MS bounds --ttl of join tokens: a token is a password, not a key. */
export const MAX_TOKEN_TTL_MS = 30 * DAY;
/** MAX_ADMIN_TTL_MS bounds the lifetime of operator certificates. */
export const MAX_ADMIN_TTL_MS = 5 * 365 * DAY;

/**
 * securityControlHandlers implements the Control RPCs about identity: join
 * tokens (get, rotate), node removal (revocation) and operator credentials
 * (create, revoke). Wrap them with guardService like the rest of Control.
 */
export function securityControlHandlers(o: SecurityControlOptions): Pick<ControlHandlers, 'GetJoinToken' | 'RotateJoinToken' | 'RemoveNode' | 'CreateCredentials' | 'RevokeCredentials'> {
  const now = o.now ?? Date.now;
  const { store, ledger, log } = o;
  return {
    GetJoinToken: unary(async (req) => {
      const role = checkRole('token', req.role);
      const ttlMs = checkTtl('token', req.ttlMs, o.tokenTtlMs, MAX_TOKEN_TTL_MS);
      const labels = checkLabels('token --label', { ...req.labels });
      const token = await signJoinToken(o.identity.tokenSecret, {
        clusterId: o.identity.clusterId,
        role,
        caDigest: caDigest(o.identity.ca.certPem),
        jti: randomBytes(8).toString('hex'),
        gen: ledger.tokenGen(role),
        ...(req.singleUse ? { singleUse: true } : {}),
        ...(Object.keys(labels).length > 0 ? { labels } : {}),
      }, { ttlMs, now: new Date(now()) });
      return { token, managerAddress: o.advertise };
    }),
    RotateJoinToken: unary((req, call) => {
      const role = checkRole('token rotate', req.role);
      const gen = ledger.rotateTokens(role);
      log.info(`security: ${callerOf(call).name} rotated the ${role} join tokens (generation ${gen})`);
      return {};
    }),
    RemoveNode: unary((req, call) => {
      const node = findNode(store, req.node);
      ledger.revokeNode(node.id);
      store.update({ deleteNodes: [node.id] });
      o.disconnect(node.id, `session: node ${node.name} (${node.id}) was removed from the cluster; its certificate is revoked`);
      o.kick();
      log.info(`security: ${callerOf(call).name} removed node ${node.name} (${node.id}); its certificate is revoked`);
      return { node: nodeToApi(node) };
    }),
    CreateCredentials: unary(async (req, call) => {
      if (!NAME_RE.test(req.name)) {
        throw new ClusterError('invalid_argument', `credentials: invalid name "${req.name}" (lowercase letters, digits, "_" and "-")`);
      }
      const ttlMs = checkTtl('credentials', req.ttlMs, o.adminCertTtlMs ?? 365 * DAY, MAX_ADMIN_TTL_MS);
      const claim = { keyDigest: csrKeyDigest(req.csrPem) };
      ledger.claim(claim);
      try {
        const cert = await issueCertificate(o.identity.ca, { csrPem: req.csrPem, commonName: req.name, role: 'admin', ttlMs, now: new Date(now()) });
        ledger.commit(claim, `admin ${req.name}`, now());
        ledger.recordAdmin(cert.serial, req.name);
        log.info(`security: ${callerOf(call).name} created credentials for ${req.name} (certificate ${cert.serial}, until ${cert.notAfter.toISOString()})`);
        return { certificatePem: cert.certPem, caPem: o.identity.ca.certPem };
      } catch (err) {
        ledger.release(claim);
        throw err;
      }
    }),
    RevokeCredentials: unary((req, call) => {
      const holders = ledger.adminNames();
      if (!holders.includes(req.name)) {
        throw new ClusterError('not_found', `credentials: no valid credentials named "${req.name}" (known: ${holders.join(', ') || 'none'})`);
      }
      if (holders.length === 1) {
        throw new ClusterError('failed_precondition', `credentials: "${req.name}" holds the last admin credentials; create others first (cluster credentials create NAME)`);
      }
      const revoked = ledger.revokeAdmin(req.name);
      log.info(`security: ${callerOf(call).name} revoked ${revoked} certificate(s) of ${req.name}`);
      return { revoked };
    }),
  };
}

function checkRole(what: string, role: string): JoinRole {
  if (role !== 'worker' && role !== 'manager') throw new ClusterError('invalid_argument', `${what}: unknown role "${role}" (worker or manager)`);
  return role;
}

/** checkTtl reads a requested lifetime: 0 means the default; otherwise 1 s up to max. */
function checkTtl(what: string, ttlMs: number, fallback: number, max: number): number {
  const ttl = Number(ttlMs);
  if (ttl === 0) return fallback;
  if (!Number.isSafeInteger(ttl) || ttl < 1000 || ttl > max) {
    throw new ClusterError('invalid_argument', `${what}: invalid ttl ${ttl} ms (1s to ${max / DAY} days)`);
  }
  return ttl;
}
