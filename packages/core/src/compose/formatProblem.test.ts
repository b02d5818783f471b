import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatProblem, type Problem } from './formatProblem.js';

const problem: Problem = { file: 'stack.yml', line: 3, col: 13, path: 'services.web.ports[0]', message: 'invalid port "80800" (1-65535)', severity: 'error' };
const source = 'services:\n  web:\n    ports: ["80800"]\n';

describe('formatProblem', () => {
  test('prints file:line:col, the path and the message', () => {
    assert.equal(formatProblem(problem), 'stack.yml:3:13 services.web.ports[0]: invalid port "80800" (1-65535)');
  });

  test('adds the source line and a caret under the column', () => {
    assert.equal(formatProblem(problem, source), ['stack.yml:3:13 services.web.ports[0]: invalid port "80800" (1-65535)', '    ports: ["80800"]', '            ^'].join('\n'));
  });

  test('keeps tabs so the caret lines up', () => {
    assert.equal(formatProblem({ ...problem, line: 1, col: 3 }, '\tab').split('\n')[2], '\t ^');
  });

  test('marks warnings and leaves out an empty path and a missing position', () => {
    assert.equal(formatProblem({ ...problem, severity: 'warning', path: '', message: 'x' }), 'stack.yml:3:13 warning: x');
    assert.equal(formatProblem({ ...problem, line: 0, col: 0, path: '' }, source), 'stack.yml invalid port "80800" (1-65535)');
  });
});
