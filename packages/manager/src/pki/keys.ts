import { KeyObject, createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';

/** provider is the WebCrypto implementation handed to @peculiar/x509 on every call. */
export const provider = webcrypto;

/** ECDSA_P256 is the one key algorithm of the cluster. */
export const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** SIGNING is the signature algorithm for certificates and CSRs. */
export const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** generateKeyPair makes a fresh, exportable ECDSA P-256 key pair. */
export async function generateKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return provider.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']);
}

/** privateKeyPem exports a private key as PKCS#8 PEM. */
export function privateKeyPem(key: webcrypto.CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** importSigningKey reads a PKCS#8 PEM ECDSA P-256 key for signing. */
export async function importSigningKey(keyPem: string): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
  return provider.subtle.importKey('pkcs8', der, ECDSA_P256, false, ['sign']);
}

/** isP256 says whether a DER SubjectPublicKeyInfo holds an ECDSA P-256 key. */
export function isP256(spkiDer: ArrayBuffer): boolean {
  const key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}
