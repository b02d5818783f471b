import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { brief, load, web, webService } from './testing.js';

describe('platform and pull_policy', () => {
  test('platform is kept for pulls, as os/arch or os/arch/variant', () => {
    assert.equal(webService(web('    platform: linux/arm64/v8')).platform, 'linux/arm64/v8');
    const r = load(web('    platform: arm64'));
    assert.deepEqual(r.errors.map(brief), [{ path: 'services.web.platform', line: 4, col: 15, message: 'invalid platform "arm64" (os/arch or os/arch/variant, like "linux/amd64" or "linux/arm64/v8")' }]);
  });

  for (const [written, policy] of [['always', 'always'], ['missing', 'missing'], ['if_not_present', 'missing'], ['never', 'never']] as const) {
    test(`pull_policy ${written} is ${policy}, with no warning`, () => {
      const r = load(web(`    pull_policy: ${written}`));
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.warnings, []);
      assert.equal(r.spec?.services.web?.pullPolicy, policy);
    });
  }

  test('pull_policy build needs a build section', () => {
    const built = load(['services:', '  web:', '    build: .', '    pull_policy: build']);
    assert.deepEqual(built.errors, []);
    assert.equal(built.spec?.services.web?.pullPolicy, 'build');
    const r = load(web('    pull_policy: build'));
    assert.deepEqual(r.errors.map(brief), [{ path: 'services.web.pull_policy', line: 4, col: 18, message: 'pull_policy "build" needs a build section: the image is built by cluster deploy, never pulled' }]);
  });

  test('a refreshing pull_policy is taken as missing, with a warning that says so', () => {
    for (const written of ['daily', 'weekly', 'every_12h']) {
      const r = load(web(`    pull_policy: ${written}`));
      assert.equal(r.spec?.services.web?.pullPolicy, 'missing');
      assert.deepEqual(r.warnings.map((w) => w.path), ['services.web.pull_policy']);
      assert.match(r.warnings[0]?.message ?? '', /is taken as "missing": a node pulls the image when it lacks it/);
    }
  });

  test('an unknown pull_policy is an error', () => {
    const r = load(web('    pull_policy: sometimes'));
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]?.path, 'services.web.pull_policy');
  });
});
