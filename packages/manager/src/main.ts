import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteStore } from './sqliteStore.js';
import { loadOrCreateStoreKey } from './storeSeal.js';
import { consoleLogger } from './log.js';
import { issueAdmin, loadOrCreateIdentity, writeAdmin } from './identity.js';
import { startManager } from './server.js';
import { SecurityLedger } from './ledger.js';
import { diskWriteError } from './diskWriteError.js';
import { X509Certificate } from 'node:crypto';
import { DEFAULT_DOWN_AFTER_MS, DEFAULT_HEARTBEAT_MS, DEFAULT_MAX_MESSAGE_BYTES } from '@cluster/core';

/**
 * The manager daemon: `node main.js --data-dir DIR [--listen HOST:PORT]
 * [--advertise HOST] [--heartbeat-ms N] [--down-after-ms N] [--engine-grace-ms N]
 * [--max-message-bytes N]` (the gRPC message bound, 64 MiB by default). On first start
 * it creates the cluster (CA, token secret, admin credentials in
 * DIR/admin); on later starts it resumes from DIR/store.db.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      listen: { type: 'string', default: '0.0.0.0:7700' },
      advertise: { type: 'string', default: '' },
      'heartbeat-ms': { type: 'string', default: String(DEFAULT_HEARTBEAT_MS) },
      'down-after-ms': { type: 'string', default: String(DEFAULT_DOWN_AFTER_MS) },
      'stream-grace-ms': { type: 'string', default: '1500' },
      'engine-grace-ms': { type: 'string', default: '3000' },
      'node-cert-ttl': { type: 'string', default: String(24 * 3600 * 1000) },
      'max-message-bytes': { type: 'string', default: String(DEFAULT_MAX_MESSAGE_BYTES) },
    },
  });
  const maxMessageBytes = Number(values['max-message-bytes']);
  if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes < 1024 * 1024) throw new Error(`manager: invalid --max-message-bytes "${values['max-message-bytes']}" (bytes, at least 1048576)`);
  // The log is a file on the manager's disk: a line the disk refuses is lost, the manager carries on.
  process.stderr.on('error', () => undefined);
  const log = consoleLogger('manager');
  const nodeCertTtlMs = Number(values['node-cert-ttl']);
  if (!Number.isSafeInteger(nodeCertTtlMs) || nodeCertTtlMs < 1000) throw new Error(`manager: invalid --node-cert-ttl "${values['node-cert-ttl']}" (milliseconds, >= 1000)`);
  const dataDir = values['data-dir'];
  if (!dataDir) throw new Error('manager: --data-dir is required');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Service specs (with their secrets) and the token secret are sealed with DATA/store.key (0600).
  const store = SqliteStore.open(join(dataDir, 'store.db'), { log, sealKey: loadOrCreateStoreKey(dataDir) });
  const listen = values.listen!;
  const listenHost = listen.replace(/:\d+$/, '');
  const advertiseHost = values.advertise || (listenHost === '0.0.0.0' || listenHost === '::' ? '127.0.0.1' : listenHost);
  const now = new Date();
  const { identity, created } = await loadOrCreateIdentity(dataDir, store, {
    addresses: [advertiseHost, listenHost].filter((a) => a !== '0.0.0.0' && a !== '::'),
    now,
    serverCertTtlMs: 365 * 24 * 3600 * 1000,
  });
  if (created || !store.getMeta('admin.issued')) {
    const admin = await issueAdmin(identity, 'admin', now, 365 * 24 * 3600 * 1000);
    writeAdmin(join(dataDir, 'admin'), admin);
    // Recorded so that `cluster credentials revoke admin` can end it too.
    new SecurityLedger(store).recordAdmin(new X509Certificate(admin.certPem).serialNumber.toLowerCase(), 'admin');
    store.setMeta('admin.issued', now.toISOString());
    log.info(`manager: created cluster ${identity.clusterId}`);
  } else {
    log.info(`manager: resuming cluster ${identity.clusterId}`);
  }
  const manager = await startManager({
    store,
    identity,
    log,
    listen,
    imagesDir: join(dataDir, 'images'),
    dataDir,
    advertiseHost,
    heartbeatMs: Number(values['heartbeat-ms']),
    downAfterMs: Number(values['down-after-ms']),
    streamGraceMs: Number(values['stream-grace-ms']),
    engineGraceMs: Number(values['engine-grace-ms']),
    nodeCertTtlMs,
    maxMessageBytes,
  });
  // Written whole and renamed into place: the CLI waits for this file and reads it at once.
  const ready = join(dataDir, 'manager.json');
  try {
    writeFileSync(`${ready}.tmp`, JSON.stringify({ pid: process.pid, advertise: manager.advertise, clusterId: identity.clusterId }) + '\n');
    renameSync(`${ready}.tmp`, ready);
  } catch (err) {
    await manager.stop();
    const full = diskWriteError(err, ready)?.code === 'resource_exhausted';
    throw new Error(`cannot write ${ready}: ${(err as Error).message}${full ? ' (the disk is full: free space on it and start the manager again)' : ''}`, { cause: err });
  }
  const shutdown = (): void => {
    log.info('manager: stopping');
    manager.stop().finally(() => { store.close(); process.exitCode = 0; });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`manager: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
