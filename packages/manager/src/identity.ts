import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createKeyAndCsr } from '@cluster/api';
import { createCa, issueCertificate, type CaMaterial } from './pki/index.js';
import type { Store } from './store.js';

/** ClusterIdentity is what makes this cluster itself: its id, CA and token secret. */
export interface ClusterIdentity {
  clusterId: string;
  ca: CaMaterial;
  tokenSecret: Uint8Array;
  /** server is the manager's own TLS key and certificate. */
  server: { keyPem: string; certPem: string };
  /** serverNames are the addresses the server certificate is issued for (kept to issue it again). */
  serverNames: ServerNames;
  /** previousCaPem is the CA being replaced: still trusted while a rotation is in progress (ca/previous.crt). */
  previousCaPem?: string;
}

/** ServerNames are the subject names and lifetime of the manager's server certificate. */
export interface ServerNames {
  ipAddresses: string[];
  dnsNames: string[];
  ttlMs: number;
}

/** AdminCredentials are the files `init` hands to the CLI. */
export interface AdminCredentials {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * loadOrCreateIdentity reads the cluster identity from the data dir, creating
 * it on first start (CA key 0600 in a 0700 folder). The server certificate is
 * issued anew on every start, for the addresses given now.
 */
export async function loadOrCreateIdentity(
  dataDir: string,
  store: Store,
  opts: { addresses: string[]; now: Date; serverCertTtlMs: number },
): Promise<{ identity: ClusterIdentity; created: boolean }> {
  const caDir = join(dataDir, 'ca');
  mkdirSync(caDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const caCertFile = join(caDir, 'ca.crt');
  const caKeyFile = join(caDir, 'ca.key');
  let created = false;
  let ca: CaMaterial;
  let clusterId = store.getMeta('cluster.id');
  if (!existsSync(caKeyFile) || !clusterId) {
    clusterId = randomBytes(8).toString('hex');
    ca = await createCa({ clusterId, now: opts.now });
    writeFileSync(caKeyFile, ca.keyPem, { mode: 0o600 });
    writeFileSync(caCertFile, ca.certPem, { mode: 0o644 });
    store.setMeta('cluster.id', clusterId);
    store.setMeta('token.secret', Buffer.from(randomBytes(32)).toString('base64'));
    created = true;
  } else {
    ca = { certPem: readFileSync(caCertFile, 'utf8'), keyPem: readFileSync(caKeyFile, 'utf8') };
  }
  const tokenSecret = new Uint8Array(Buffer.from(store.getMeta('token.secret') ?? '', 'base64'));
  const ips = opts.addresses.filter((a) => /^[\d.]+$|:/.test(a));
  const dns = opts.addresses.filter((a) => !/^[\d.]+$|:/.test(a));
  const serverNames: ServerNames = {
    ipAddresses: [...new Set(['127.0.0.1', ...ips])],
    dnsNames: [...new Set(['localhost', hostname(), ...dns])],
    ttlMs: opts.serverCertTtlMs,
  };
  const server = await issueServerCertificate(ca, serverNames, opts.now);
  const previousFile = join(caDir, 'previous.crt');
  const previous = !created && existsSync(previousFile) ? { previousCaPem: readFileSync(previousFile, 'utf8') } : {};
  return { identity: { clusterId, ca, tokenSecret, server, serverNames, ...previous }, created };
}

/** issueServerCertificate makes a new key and a server certificate of `ca` for the manager. */
export async function issueServerCertificate(ca: CaMaterial, names: ServerNames, now: Date): Promise<{ keyPem: string; certPem: string }> {
  const { keyPem, csrPem } = await createKeyAndCsr('manager');
  const issued = await issueCertificate(ca, {
    csrPem,
    commonName: 'manager',
    role: 'manager',
    ttlMs: names.ttlMs,
    now,
    serverAuth: true,
    ipAddresses: names.ipAddresses,
    dnsNames: names.dnsNames,
  });
  return { keyPem, certPem: issued.certPem };
}

/** issueAdmin mints an admin client certificate named `name`. */
export async function issueAdmin(identity: ClusterIdentity, name: string, now: Date, ttlMs: number): Promise<AdminCredentials> {
  const { keyPem, csrPem } = await createKeyAndCsr(name);
  const cert = await issueCertificate(identity.ca, { csrPem, commonName: name, role: 'admin', ttlMs, now });
  return { caPem: identity.ca.certPem, certPem: cert.certPem, keyPem };
}

/** writeAdmin writes admin credentials as files (key 0600) into `dir`. */
export function writeAdmin(dir: string, creds: AdminCredentials): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'ca.crt'), creds.caPem, { mode: 0o644 });
  writeFileSync(join(dir, 'admin.crt'), creds.certPem, { mode: 0o644 });
  writeFileSync(join(dir, 'admin.key'), creds.keyPem, { mode: 0o600 });
}
