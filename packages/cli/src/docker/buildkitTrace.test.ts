import assert from 'node:assert/strict';
import { test } from 'node:test';
import { traceSteps } from './buildkitTrace.js';

/** pb writes protobuf fields: strings and nested messages length-delimited, numbers as varints. */
function pb(...fields: [number, string | number | Buffer][]): Buffer {
  const parts: Buffer[] = [];
  for (const [n, v] of fields) {
    if (typeof v === 'number') parts.push(Buffer.from([n * 8, v]));
    else {
      const b = typeof v === 'string' ? Buffer.from(v) : v;
      parts.push(Buffer.from([n * 8 + 2, b.length]), b);
    }
  }
  return Buffer.concat(parts);
}

test('the steps of a BuildKit trace: name, cached, completed and error of each vertex', () => {
  const started = pb([1, 1700000000]);
  const status = pb(
    [1, pb([1, 'sha256:a'], [2, 'sha256:in'], [3, '[2/3] RUN --mount=type=cache,target=/c make'], [5, started], [6, started])],
    [1, pb([1, 'sha256:b'], [3, '[1/3] FROM base'], [4, 1], [6, started])],
    [1, pb([1, 'sha256:c'], [3, '[3/3] RUN false'], [5, started], [7, 'process "/bin/sh -c false" did not complete successfully: exit code: 1'])],
    [3, pb([1, 'sha256:a'], [4, 'log bytes'])],
  );
  assert.deepEqual(traceSteps(status.toString('base64')), [
    { digest: 'sha256:a', name: '[2/3] RUN --mount=type=cache,target=/c make', cached: false, completed: true, error: '' },
    { digest: 'sha256:b', name: '[1/3] FROM base', cached: true, completed: true, error: '' },
    { digest: 'sha256:c', name: '[3/3] RUN false', cached: false, completed: false, error: 'process "/bin/sh -c false" did not complete successfully: exit code: 1' },
  ]);
});

test('what is not a trace gives no steps, and a cut message stops the reading without a throw', () => {
  assert.deepEqual(traceSteps({ ID: 'sha256:x' }), []);
  const cut = pb([1, pb([1, 'sha256:a'], [3, 'name'])]).subarray(0, 6);
  assert.doesNotThrow(() => traceSteps(cut.toString('base64')));
});
