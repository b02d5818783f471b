import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unusedImages } from './unusedImages.js';

const GRACE = 600_000;
const NOW = 10_000_000;

test('a name no service uses goes with its archive; a used one stays', () => {
  const r = unusedImages(
    [{ name: 'shop-web', digest: 'a', storedAtMs: 0 }, { name: 'old-api', digest: 'b', storedAtMs: 0 }],
    new Set(['shop-web', 'redis']), ['a', 'b'], NOW, GRACE,
  );
  assert.deepEqual(r, { names: ['old-api'], digests: ['b'] });
});

test('a name pushed within the grace stays though no service uses it yet (the deploy that uses it follows the push)', () => {
  const r = unusedImages([{ name: 'new-web', digest: 'n', storedAtMs: NOW - GRACE + 1 }], new Set(), ['n'], NOW, GRACE);
  assert.deepEqual(r, { names: [], digests: [] });
  assert.deepEqual(unusedImages([{ name: 'new-web', digest: 'n', storedAtMs: NOW - GRACE }], new Set(), ['n'], NOW, GRACE), { names: ['new-web'], digests: ['n'] });
});

test('an archive no name points at goes (an image built again under the same name), one shared by a kept name stays', () => {
  const r = unusedImages(
    [{ name: 'shop-web', digest: 'new', storedAtMs: 0 }, { name: 'shop-copy', digest: 'shared', storedAtMs: 0 }, { name: 'shop-gone', digest: 'shared', storedAtMs: 0 }],
    new Set(['shop-web', 'shop-copy']), ['old', 'new', 'shared'], NOW, GRACE,
  );
  assert.deepEqual(r, { names: ['shop-gone'], digests: ['old'] });
});
