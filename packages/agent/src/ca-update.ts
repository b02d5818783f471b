import { X509Certificate } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import type { CaUpdate__Output } from '@cluster/api';

/** CaUpdateOptions are what a node changes when the manager announces a new cluster CA. */
export interface CaUpdateOptions {
  /** caFile is the node's ca.crt; it is replaced whole with the new trust bundle. */
  caFile: string;
  /** session opens later connections trusting the new bundle. */
  session: { useCa(caPem: string): void };
  /** renewer renews with the new bundle, and at once when asked to. */
  renewer: { useCa(caPem: string): void; renewSoon(): void };
  log: (msg: string) => void;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * caUpdateHandler applies a CaUpdate from the manager (it came over the
 * node's authenticated session): the trust bundle is saved as ca.crt and
 * used for new connections and renewals; with renew, the node renews its
 * certificate at once to get one of the new CA. The open session and the
 * containers are left alone.
 */
export function caUpdateHandler(o: CaUpdateOptions): (update: CaUpdate__Output) => void {
  return (update) => {
    const certs = update.trustBundlePem.match(PEM_CERT) ?? [];
    try {
      if (certs.length === 0) throw new Error('no certificate in it');
      for (const c of certs) {
        if (!new X509Certificate(c).ca) throw new Error('a certificate in it is not a CA');
      }
    } catch (err) {
      o.log(`ca update: ignored a trust bundle from the manager (${err instanceof Error ? err.message : String(err)})`);
      return;
    }
    const bundle = certs.map((c) => `${c}\n`).join('');
    writeFileSync(`${o.caFile}.new`, bundle, { mode: 0o644 });
    renameSync(`${o.caFile}.new`, o.caFile);
    o.session.useCa(bundle);
    o.renewer.useCa(bundle);
    o.log(`ca update: trusting ${certs.length} CA certificate(s) from now on${update.renew ? '; renewing the node certificate now' : ''}`);
    if (update.renew) o.renewer.renewSoon();
  };
}
