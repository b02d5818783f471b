import { experimental } from '@grpc/grpc-js';

type CaListener = (update: experimental.CaCertificateUpdate | null) => void;
type IdentityListener = (update: experimental.IdentityCertificateUpdate | null) => void;

/** TlsMaterial is what the manager serves: the CAs it trusts, its certificate chain and key. */
export interface TlsMaterial {
  /** caPem holds every CA a peer certificate may chain to (one or more PEM certificates). */
  caPem: string;
  /** chainPem is the server certificate followed by the CA that issued it. */
  chainPem: string;
  keyPem: string;
}

/**
 * DynamicCertificateProvider serves the manager's TLS material to grpc-js and
 * hands every listener the new material on update, so the running server
 * picks up a new identity or trust bundle without a restart.
 */
export class DynamicCertificateProvider implements experimental.CertificateProvider {
  private material: TlsMaterial;
  private readonly caListeners = new Set<CaListener>();
  private readonly identityListeners = new Set<IdentityListener>();

  constructor(material: TlsMaterial) {
    this.material = material;
  }

  /** update replaces the material and tells every listener. */
  update(material: TlsMaterial): void {
    this.material = material;
    for (const l of this.caListeners) this.deliverCa(l);
    for (const l of this.identityListeners) this.deliverIdentity(l);
  }

  addCaCertificateListener(l: CaListener): void {
    this.caListeners.add(l);
    this.deliverCa(l);
  }

  removeCaCertificateListener(l: CaListener): void {
    this.caListeners.delete(l);
  }

  addIdentityCertificateListener(l: IdentityListener): void {
    this.identityListeners.add(l);
    this.deliverIdentity(l);
  }

  removeIdentityCertificateListener(l: IdentityListener): void {
    this.identityListeners.delete(l);
  }

  // Deliver on the next turn: grpc-js registers its watcher after adding
  // the listeners, and would miss an answer given synchronously. The
  // material is read then, so a listener always gets the latest.
  private deliverCa(l: CaListener): void {
    setImmediate(() => {
      if (this.caListeners.has(l)) l({ caCertificate: Buffer.from(this.material.caPem) });
    });
  }

  private deliverIdentity(l: IdentityListener): void {
    setImmediate(() => {
      if (this.identityListeners.has(l)) l({ certificate: Buffer.from(this.material.chainPem), privateKey: Buffer.from(this.material.keyPem) });
    });
  }
}
