import * as tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { ClusterError } from '@cluster/core';
import { loadClusterProto, type JoinResponse__Output } from '@cluster/api';
import { createKeyAndCsr } from '@cluster/api';
import { caDigestFromToken, caDigestOfPem } from './identity.js';

/** JoinOptions are what a node brings to join a cluster. */
export interface JoinOptions {
  /** manager is `host:port` of the manager. */
  manager: string;
  token: string;
  name: string;
  hostname: string;
  advertise: string;
  labels: Record<string, string>;
  /** timeoutMs bounds the whole exchange. @default 10000 */
  timeoutMs?: number;
}

/** NodeCredentials are what a node keeps after joining. */
export interface NodeCredentials {
  nodeId: string;
  role: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** localAddress is the address this host used to reach the manager. */
  localAddress: string;
}

/**
 * fetchPinnedCa connects to the manager without trusting it yet, reads the CA
 * certificate it presents behind its own, and accepts it only if its digest is
 * the one in the join token and it signed the manager's certificate.
 */
export async function fetchPinnedCa(manager: string, expectedDigest: string, timeoutMs: number): Promise<{ caPem: string; localAddress: string }> {
  const { host, port } = splitHostPort(manager);
  const socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
    const s = tls.connect({ host, port, rejectUnauthorized: false, ALPNProtocols: ['h2'], ...(isIp(host) ? {} : { servername: host }) });
    const timer = setTimeout(() => { s.destroy(); reject(new ClusterError('unavailable', `join: manager ${manager} did not answer within ${timeoutMs} ms`, { retryable: true })); }, timeoutMs);
    s.once('secureConnect', () => { clearTimeout(timer); resolve(s); });
    s.once('error', (err) => { clearTimeout(timer); reject(new ClusterError('unavailable', `join: cannot reach manager ${manager}: ${err.message}`, { cause: err, retryable: true })); });
  });
  try {
    const leaf = socket.getPeerCertificate(true);
    const issuer = leaf.issuerCertificate;
    if (!leaf.raw || !issuer?.raw || issuer === leaf) {
      throw new ClusterError('unauthenticated', `join: manager ${manager} did not present its CA certificate; refusing to join`);
    }
    const caPem = new X509Certificate(issuer.raw).toString();
    const digest = caDigestOfPem(caPem);
    if (digest !== expectedDigest) {
      throw new ClusterError('unauthenticated', `join: the manager at ${manager} presents CA ${digest}, but the token pins ${expectedDigest}; refusing to join (the cluster CA was rotated since the token was made: ask for a new token; or a wrong address, or someone in between)`);
    }
    const leafCert = new X509Certificate(leaf.raw);
    if (!leafCert.verify(new X509Certificate(issuer.raw).publicKey)) {
      throw new ClusterError('unauthenticated', `join: the manager's certificate is not signed by the pinned CA; refusing to join`);
    }
    return { caPem, localAddress: socket.localAddress ?? '' };
  } finally {
    socket.destroy();
  }
}

/** joinCluster pins the CA, sends a CSR with the token and returns the node's credentials. */
export async function joinCluster(o: JoinOptions): Promise<NodeCredentials> {
  const timeoutMs = o.timeoutMs ?? 10000;
  const digest = caDigestFromToken(o.token);
  const { caPem, localAddress } = await fetchPinnedCa(o.manager, digest, timeoutMs);
  const { keyPem, csrPem } = await createKeyAndCsr(o.name);
  const proto = loadClusterProto();
  const creds = grpc.credentials.createSsl(Buffer.from(caPem), null, null, { checkServerIdentity: checkManagerIdentity });
  const client = new proto.Dispatcher(o.manager, creds, { 'grpc.ssl_target_name_override': 'manager' });
  try {
    const res = await new Promise<JoinResponse__Output>((resolve, reject) => {
      client.Join(
        { token: o.token, csrPem, name: o.name, hostname: o.hostname, advertiseAddress: o.advertise || localAddress, labels: o.labels },
        { deadline: Date.now() + timeoutMs },
        (err, r) => (err ? reject(new ClusterError('unauthenticated', `join: ${err.details || err.message}`, { cause: err })) : resolve(r!)),
      );
    });
    return { nodeId: res.nodeId, role: res.role, caPem, certPem: res.certificatePem, keyPem, localAddress };
  } finally {
    client.close();
  }
}

/**
 * checkManagerIdentity accepts a server certificate only if it is a manager's:
 * the chain is already verified against the pinned cluster CA, and the role
 * in the subject keeps a worker's certificate from posing as the manager.
 */
export function checkManagerIdentity(_host: string, cert: tls.PeerCertificate): Error | undefined {
  const ou = cert.subject?.OU;
  const roles = Array.isArray(ou) ? ou : [ou];
  if (!roles.includes('manager')) return new Error(`server certificate is not a manager's (role ${String(ou)})`);
  return undefined;
}

/** splitHostPort splits `host:port` (IPv6 in brackets); port defaults to 7700. */
export function splitHostPort(addr: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(addr) ?? /^([^:]+)(?::(\d+))?$/.exec(addr);
  if (!m) throw new ClusterError('invalid_argument', `invalid manager address "${addr}" (host:port)`);
  return { host: m[1]!, port: m[2] ? Number(m[2]) : 7700 };
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
