import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpecCache } from './session.js';

test('a spec text is parsed once while it is cached; other texts give their own spec', () => {
  const cache = new SpecCache(2);
  const web = JSON.stringify({ name: 'web', image: 'nginx' });
  const first = cache.parse(web);
  assert.deepEqual(first, { name: 'web', image: 'nginx' });
  assert.equal(cache.parse(`${web}`), first, 'the same text gives the same parsed spec');
  const db = cache.parse(JSON.stringify({ name: 'db', image: 'postgres' }));
  assert.equal(db.name, 'db');
  assert.deepEqual(cache.parse(''), {}, 'an empty text is an empty spec');
  // The cache was full (2 texts): it started over, and parses again.
  const again = cache.parse(web);
  assert.deepEqual(again, first);
  assert.notEqual(again, first);
});
