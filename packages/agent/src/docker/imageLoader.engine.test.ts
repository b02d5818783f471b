/** ImageLoader on the real engine: an archive from the source is loaded once; a missing image is "not there", not a hang. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { dockerFromHost } from './adapter.js';
import { ImageLoader } from './imageLoader.js';

const docker = dockerFromHost();
const NAME = `cluster-il-${randomBytes(3).toString('hex')}:x`;

after(async () => {
  await docker.getImage(NAME).remove({ force: true }).catch(() => undefined);
});

test('an image from the source is loaded once for concurrent asks; a missing one gives false', { timeout: 60_000 }, async () => {
  const [repo = '', tag = ''] = NAME.split(':');
  await docker.getImage('cluster-test/busybox:latest').tag({ repo, tag });
  const chunks: Buffer[] = [];
  for await (const c of (await docker.getImage(NAME).get()) as AsyncIterable<Buffer>) chunks.push(c);
  await docker.getImage(NAME).remove();
  let opened = 0;
  const loader = new ImageLoader(docker, (name) => {
    opened++;
    const out = new PassThrough();
    if (name === NAME) out.end(Buffer.concat(chunks));
    else setTimeout(() => out.destroy(Object.assign(new Error('not found'), { code: 5 })), 20);
    return out;
  });
  assert.deepEqual(await Promise.all([loader.load(NAME), loader.load(NAME)]), [true, true]);
  assert.equal(opened, 1);
  assert.ok(await docker.getImage(NAME).inspect());
  assert.equal(await loader.load('cluster-il-absent:none'), false);
});
