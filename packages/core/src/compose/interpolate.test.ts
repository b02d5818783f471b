import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { interpolate } from './interpolate.js';
import { brief, load, web } from './testing.js';

const env = { TAG: '1.27', EMPTY: '', HOST: 'db', PORT: '5432' };

describe('interpolate', () => {
  const values = [
    { text: 'nginx:${TAG}', want: 'nginx:1.27' },
    { text: 'nginx:$TAG', want: 'nginx:1.27' },
    { text: '$HOST:$PORT', want: 'db:5432' },
    { text: 'a$$b $${TAG}', want: 'a$b ${TAG}' },
    { text: '${EMPTY:-d}', want: 'd' },
    { text: '${EMPTY-d}', want: '' },
    { text: '${NOPE:-d}', want: 'd' },
    { text: '${NOPE-d}', want: 'd' },
    { text: '${TAG:-d}', want: '1.27' },
    { text: '${TAG:+r}', want: 'r' },
    { text: '${EMPTY:+r}', want: '' },
    { text: '${EMPTY+r}', want: 'r' },
    { text: '${NOPE+r}', want: '' },
    { text: '${TAG:?need it}', want: '1.27' },
    { text: '${EMPTY?need it}', want: '' },
    { text: '${NOPE:-${HOST}:${PORT}}', want: 'db:5432' },
    { text: '${TAG:-${NOPE:?never read}}', want: '1.27' },
    { text: 'no variables', want: 'no variables' },
  ];
  for (const c of values) {
    test(`${c.text} is ${JSON.stringify(c.want)}`, () => {
      assert.deepEqual(interpolate(c.text, env), { value: c.want, problems: [] });
    });
  }

  const problems = [
    { text: 'x${NOPE}', offset: 1, severity: 'warning', message: 'variable "NOPE" is not set, using ""' },
    { text: '$NOPE', offset: 0, severity: 'warning', message: 'variable "NOPE" is not set, using ""' },
    { text: 'a ${NOPE:?set NOPE}', offset: 2, severity: 'error', message: 'required variable "NOPE" is not set or empty: set NOPE' },
    { text: '${EMPTY:?}', offset: 0, severity: 'error', message: 'required variable "EMPTY" is not set or empty' },
    { text: '${NOPE?}', offset: 0, severity: 'error', message: 'required variable "NOPE" is not set' },
    { text: 'ab${TAG', offset: 2, severity: 'error', message: 'invalid interpolation "${TAG" (missing "}")' },
    { text: '${}', offset: 0, severity: 'error', message: 'invalid interpolation "${}" (like "${VAR}", "${VAR:-default}" or "${VAR:?error}")' },
    { text: '${TAG/x/y}', offset: 0, severity: 'error', message: 'invalid interpolation "${TAG/x/y}" (like "${VAR}", "${VAR:-default}" or "${VAR:?error}")' },
    { text: 'cost 5$', offset: 6, severity: 'error', message: 'invalid interpolation "$" (a variable name or "{" after "$"; "$$" for a literal "$")' },
    { text: '${A:-${B:?no B}}', offset: 5, severity: 'error', message: 'required variable "B" is not set or empty: no B' },
  ];
  for (const c of problems) {
    test(`${c.text} gives a ${c.severity}`, () => {
      assert.deepEqual(interpolate(c.text, env).problems, [{ offset: c.offset, severity: c.severity, message: c.message }]);
    });
  }

  test('every string value of the file is interpolated, keys are not', () => {
    const r = load(['name: ${STACK}', 'services:', '  web:', '    image: "nginx:${TAG}"', '    labels:', '      ${TAG}: $HOST'], { env: { STACK: 's1', ...env } });
    assert.deepEqual(r.errors, []);
    assert.equal(r.spec?.name, 's1');
    assert.equal(r.spec?.services['web']?.image, 'nginx:1.27');
    assert.deepEqual(r.spec?.services['web']?.labels, { '${TAG}': 'db' });
  });

  test('a missing required variable is an error at the variable', () => {
    const r = load(web('    environment:', '      - PASSWORD=${PASSWORD:?set the database password}', '      - "X=${Y?}"'));
    assert.equal(r.spec, undefined);
    assert.deepEqual(r.errors.map(brief), [
      { path: 'services.web.environment[0]', line: 5, col: 18, message: 'required variable "PASSWORD" is not set or empty: set the database password' },
      { path: 'services.web.environment[1]', line: 6, col: 12, message: 'required variable "Y" is not set' },
    ]);
  });

  test('an unset variable is a warning and becomes ""', () => {
    const r = load(web('    environment: {A: "x${NOPE}y"}'));
    assert.deepEqual(r.spec?.services['web']?.env, { A: 'xy' });
    assert.deepEqual(r.warnings.map(brief), [{ path: 'services.web.environment.A', line: 4, col: 24, message: 'variable "NOPE" is not set, using ""' }]);
  });

  test('a problem inside a block scalar, literal or folded, is reported at its character', () => {
    const r = load(web('    command:', '      - sh', '      - -c', '      - |', '        echo ${A:?}', '        echo ${B:?} and ${B:?}', '    entrypoint: >-', '      run', '      ${C:?}'));
    assert.deepEqual(r.errors.map((p) => `${p.path}@${p.line}:${p.col}`), [
      'services.web.command[2]@8:14', 'services.web.command[2]@9:14', 'services.web.command[2]@9:25', 'services.web.entrypoint@12:7',
    ]);
  });

  test('a scalar whose source differs from its value is reported at its start', () => {
    const r = load(web('    command: "a\\tb ${X:?}"'));
    assert.deepEqual(r.errors.map((p) => `${p.path}@${p.line}:${p.col}`), ['services.web.command@4:14']);
  });
});
