import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needsBuildKit } from './needsBuildKit.js';

test('needsBuildKit: RUN --mount, a syntax directive, COPY --chmod and here-documents need BuildKit; a plain Dockerfile does not', () => {
  assert.equal(needsBuildKit('FROM a\nRUN make\nCOPY . /src\n'), false);
  assert.equal(needsBuildKit('FROM a\nRUN echo "--mount is just text"\n'), false);
  assert.equal(needsBuildKit('FROM a\nRUN --mount=type=cache,target=/root/.cache make\n'), true);
  assert.equal(needsBuildKit('# syntax=docker/dockerfile:1\nFROM a\n'), true);
  assert.equal(needsBuildKit('FROM a\nCOPY --chmod=0755 run.sh /\n'), true);
  assert.equal(needsBuildKit('FROM a\nRUN <<EOF\necho hi\nEOF\n'), true);
});
