import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ClusterError } from '@cluster/core';

/** SEALED_PREFIX marks a value sealed with the store key (AES-256-GCM). */
const SEALED_PREFIX = 'sealed:v1:';

/** STORE_KEY_FILE is the store key's file in the manager's data dir. */
export const STORE_KEY_FILE = 'store.key';

/**
 * StoreSeal encrypts what the store must not keep in clear (service specs,
 * which hold secrets, and the join token secret) with a 32-byte key kept in a
 * file of its own: a copy of store.db without that file reveals none of it.
 * AES-256-GCM, a random 12-byte nonce per value; the record's key (its id) is
 * bound as associated data, so a sealed value moved to another record fails
 * to open.
 */
export class StoreSeal {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new ClusterError('internal', `store key: ${key.length} bytes (32 expected)`);
    this.key = key;
  }

  /** seal encrypts a value of the record `id`. */
  seal(id: string, text: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(id));
    const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
    return SEALED_PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
  }

  /** open decrypts a value sealed for the record `id`; it throws when the key or the record differs. */
  open(id: string, value: string): string {
    const raw = Buffer.from(value.slice(SEALED_PREFIX.length), 'base64');
    const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    d.setAAD(Buffer.from(id));
    d.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    } catch (cause) {
      throw new ClusterError('internal', `store: record ${id} does not open with this store key (${STORE_KEY_FILE} replaced?)`, { cause });
    }
  }
}

/** isSealed tells whether a stored value is sealed. */
export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

/**
 * loadOrCreateStoreKey reads DIR/store.key, or makes it (32 random bytes,
 * base64, mode 0600) on first start; a key file readable by others is made
 * owner-only again.
 */
export function loadOrCreateStoreKey(dir: string): Buffer {
  const file = join(dir, STORE_KEY_FILE);
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } else if ((statSync(file).mode & 0o077) !== 0) {
    chmodSync(file, 0o600);
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new ClusterError('internal', `store key: ${file} does not hold a 32-byte key in base64`);
  return key;
}
