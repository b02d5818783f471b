/**
 * The image store on disk: archives pushed through PushImage land in its
 * folder, and those no stack uses leave it when services change (a stack
 * removed, an image built again under the same name).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import type * as grpc from '@grpc/grpc-js';
import type { ImageChunk__Output, PushImageResponse } from '@cluster/api';
import type { Service } from '@cluster/core';
import { ImageStore } from './imageStore.js';
import { SqliteStore } from './sqliteStore.js';

const dir = mkdtempSync(join(tmpdir(), 'compose-images-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** push sends one archive through PushImage as a client stream would. */
function push(images: ImageStore, name: string, content: string): Promise<PushImageResponse> {
  const call = new PassThrough({ objectMode: true });
  const done = new Promise<PushImageResponse>((resolve, reject) => {
    images.controlHandlers().PushImage(call as unknown as grpc.ServerReadableStream<ImageChunk__Output, PushImageResponse>, (err, res) => (err ? reject(err) : resolve(res!)));
  });
  call.end({ name, imageId: `sha256:${name}-${content}`, data: Buffer.from(content), totalBytes: content.length });
  return done;
}

function service(stack: string, short: string, image: string): Service {
  return {
    name: `${stack}_${short}`, stack, specVersion: 1, createdAt: 0, updatedAt: 0,
    spec: { name: short, image, env: {}, labels: {}, ports: [], mode: 'replicated', replicas: 1, restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 }, constraints: [], stopGracePeriodMs: 1000 },
  };
}

/** archives lists the archive files in the image folder. */
const archives = (folder: string): string[] => readdirSync(folder).filter((f) => f.endsWith('.tar')).sort();

/** settled waits for the store's watchers to run (they are told on the next microtask turns). */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('images no stack uses leave the disk: after a redeploy with a new build, after a stack rm; used and fresh ones stay', async () => {
  const store = SqliteStore.open(join(dir, 'store.db'));
  const folder = join(dir, 'images');
  let now = 1_000_000;
  const images = new ImageStore(folder, store, () => undefined, { graceMs: 60_000, now: () => now });
  images.start();
  try {
    const first = await push(images, 'shop-web', 'build one');
    await push(images, 'shop-api', 'api');
    store.update({ putServices: [service('shop', 'web', 'shop-web'), service('shop', 'api', 'shop-api')] });
    await settled();
    assert.equal(archives(folder).length, 2, 'both images are used');

    // Built again: same name, new archive; the old archive is left on no name and goes at the next change of services.
    now += 120_000;
    const second = await push(images, 'shop-web', 'build two');
    assert.notEqual(second.digest, first.digest);
    store.update({ putServices: [{ ...service('shop', 'web', 'shop-web'), specVersion: 2 }] });
    await settled();
    assert.deepEqual(archives(folder), [(second.digest ?? '').slice(7), (images.lookup('shop-api')?.digest ?? '').slice(7)].map((d) => `${d}.tar`).sort());

    // Pushed moments ago for a deploy still to come: kept, though no service uses it.
    await push(images, 'next-web', 'next');
    store.update({ deleteServices: ['shop_api'] });
    await settled();
    assert.equal(images.lookup('shop-api'), undefined, 'the removed service\'s image is gone');
    assert.ok(images.lookup('next-web'), 'an image within its grace stays');
    assert.ok(images.lookup('shop-web'));
    assert.equal(archives(folder).length, 2);

    // The stack removed, and the grace over: nothing is left.
    now += 120_000;
    store.update({ deleteServices: ['shop_web'] });
    await settled();
    assert.deepEqual(archives(folder), []);
    assert.equal(images.lookup('shop-web'), undefined);
    assert.equal(images.lookup('next-web'), undefined);
  } finally {
    images.stop();
    store.close();
  }
});

test('a restarted manager removes at start what no stack uses', async () => {
  const path = join(dir, 'restart.db');
  const folder = join(dir, 'restart-images');
  let store = SqliteStore.open(path);
  const before = new ImageStore(folder, store, () => undefined, { graceMs: 0 });
  await push(before, 'gone-web', 'x');
  store.close();
  store = SqliteStore.open(path);
  const images = new ImageStore(folder, store, () => undefined, { graceMs: 0 });
  try {
    assert.equal(archives(folder).length, 1);
    images.start();
    assert.deepEqual(archives(folder), []);
  } finally {
    images.stop();
    store.close();
  }
});
