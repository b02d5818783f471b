import { X509Certificate as NodeX509Certificate, createHash, randomBytes } from 'node:crypto';
import * as x509 from './x509.js';
import { CERT_BACKDATE_MS, ClusterError } from '@cluster/core';
import { SIGNING, generateKeyPair, importSigningKey, isP256, privateKeyPem, provider } from './keys.js';

/** CaMaterial is the cluster's certificate authority: its certificate and PKCS#8 key, both PEM. */
export interface CaMaterial {
  certPem: string;
  keyPem: string;
}

/** CreateCaOptions configure createCa. */
export interface CreateCaOptions {
  /** clusterId goes into the CA subject as O=, and from there into every issued certificate. */
  clusterId: string;
  now: Date;
  /** ttlDays is the lifetime of the CA certificate. @default 3650 */
  ttlDays?: number;
}

/** IssueOptions configure issueCertificate. */
export interface IssueOptions {
  csrPem: string;
  /** commonName is the node id, or the admin name for a client certificate. */
  commonName: string;
  /** role goes into the subject as OU=; it is never taken from the CSR. */
  role: 'manager' | 'worker' | 'admin';
  ttlMs: number;
  now: Date;
  /** dnsNames are subjectAltName DNS entries. @default [] */
  dnsNames?: string[];
  /** ipAddresses are subjectAltName IP entries. @default [] */
  ipAddresses?: string[];
  /** serverAuth adds the serverAuth extended key usage (clientAuth is always there). @default false */
  serverAuth?: boolean;
}

/** IssuedCertificate is what issueCertificate returns. */
export interface IssuedCertificate {
  certPem: string;
  /** serial is the lower-case hex serial number. */
  serial: string;
  /** notAfter is the end of validity as written in the certificate (whole seconds). */
  notAfter: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// Issued certificates start CERT_BACKDATE_MS (an hour) before `now` so that a
// peer whose clock runs behind, or was set back, does not see them as not yet valid.
const BACKDATE_MS = CERT_BACKDATE_MS;
const CA_COMMON_NAME = 'cluster-ca';

/** createCa makes a self-signed ECDSA P-256 CA for the cluster. */
export async function createCa(opts: CreateCaOptions): Promise<CaMaterial> {
  if (opts.clusterId === '') throw new ClusterError('invalid_argument', 'ca: clusterId is empty');
  const ttlDays = opts.ttlDays ?? 3650;
  if (!(ttlDays > 0)) throw new ClusterError('invalid_argument', `ca: invalid ttlDays ${ttlDays} (> 0)`);
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: newSerial(),
      name: [{ O: [opts.clusterId] }, { CN: [CA_COMMON_NAME] }],
      notBefore: new Date(opts.now.getTime() - BACKDATE_MS),
      notAfter: new Date(opts.now.getTime() + ttlDays * DAY_MS),
      keys,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, provider),
      ],
    },
    provider,
  );
  return { certPem: cert.toString('pem'), keyPem: privateKeyPem(keys.privateKey) };
}

/** caDigest is "sha256:<hex>" of the DER encoding of a CA certificate; join tokens pin the CA by it. */
export function caDigest(caCertPem: string): string {
  const der = new NodeX509Certificate(caCertPem).raw;
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/**
 * issueCertificate signs the key of a CSR with the CA. The CSR's signature is
 * checked first; its subject and extensions are ignored: the subject is
 * O=<cluster id>, OU=<role>, CN=<commonName>.
 */
export async function issueCertificate(ca: CaMaterial, opts: IssueOptions): Promise<IssuedCertificate> {
  if (opts.commonName === '') throw new ClusterError('invalid_argument', 'csr: commonName is empty');
  if (!(opts.ttlMs > 0)) throw new ClusterError('invalid_argument', `csr: invalid ttlMs ${opts.ttlMs} (> 0)`);
  const csr = await checkCsr(opts.csrPem);

  const caCert = new x509.X509Certificate(ca.certPem);
  const clusterId = caCert.subjectName.getField('O')[0];
  if (clusterId === undefined) throw new ClusterError('internal', 'ca: certificate has no O= (cluster id)');
  const signingKey = await importSigningKey(ca.keyPem);

  const usages = [x509.ExtendedKeyUsage.clientAuth];
  if (opts.serverAuth === true) usages.push(x509.ExtendedKeyUsage.serverAuth);
  const altNames: x509.JsonGeneralNames = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(usages, false),
    await x509.SubjectKeyIdentifierExtension.create(csr.publicKey, false, provider),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false, provider),
  ];
  if (altNames.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(altNames, false));

  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: newSerial(),
      subject: [{ O: [clusterId] }, { OU: [opts.role] }, { CN: [opts.commonName] }],
      issuer: caCert.subjectName,
      notBefore: new Date(opts.now.getTime() - BACKDATE_MS),
      notAfter: new Date(opts.now.getTime() + opts.ttlMs),
      publicKey: csr.publicKey,
      signingKey,
      signingAlgorithm: SIGNING,
      extensions,
    },
    provider,
  );
  return { certPem: cert.toString('pem'), serial: cert.serialNumber.toLowerCase(), notAfter: cert.notAfter };
}

/** checkCsr parses a CSR and checks its self-signature and key type, before anything is issued. */
export async function checkCsr(csrPem: string): Promise<x509.Pkcs10CertificateRequest> {
  const csr = parseCsr(csrPem);
  let verified: boolean;
  try {
    verified = await csr.verify(provider);
  } catch (cause) {
    throw new ClusterError('invalid_argument', 'csr: signature does not verify', { cause });
  }
  if (!verified) throw new ClusterError('invalid_argument', 'csr: signature does not verify');
  if (!isP256(csr.publicKey.rawData)) throw new ClusterError('invalid_argument', 'csr: key is not ECDSA P-256');
  return csr;
}

function parseCsr(csrPem: string): x509.Pkcs10CertificateRequest {
  try {
    return new x509.Pkcs10CertificateRequest(csrPem);
  } catch (cause) {
    throw new ClusterError('invalid_argument', 'csr: malformed PEM or DER', { cause });
  }
}

// newSerial returns 16 random bytes as hex, positive and without a leading
// zero byte so that the DER INTEGER stays minimal.
function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
}
