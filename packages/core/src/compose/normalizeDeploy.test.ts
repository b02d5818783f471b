import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RestartPolicy } from '../model.js';
import { brief, load, web, webService } from './testing.js';

const policy = (p: Partial<RestartPolicy>): RestartPolicy => ({ condition: 'any', delayMs: 500, maxAttempts: 0, windowMs: 0, ...p });

describe('normalizeDeploy', () => {
  test('replicas and mode', () => {
    assert.equal(webService(web('    deploy:', '      replicas: 3')).replicas, 3);
    assert.equal(webService(web('    deploy: {replicas: 0}')).replicas, 0);
    assert.equal(webService(web('    deploy: {replicas: "${N}"}'), { N: '4' }).replicas, 4);
    assert.equal(webService(web('    deploy: {mode: global}')).mode, 'global');
    assert.equal(webService(web('    deploy: {mode: replicated}')).mode, 'replicated');
  });

  test('endpoint_mode dnsrr is kept; vip is the default; anything else is an error', () => {
    assert.equal(webService(web('    deploy: {endpoint_mode: dnsrr}')).endpointMode, 'dnsrr');
    assert.equal(webService(web('    deploy: {endpoint_mode: vip}')).endpointMode, undefined);
    const r = load(web('    deploy: {endpoint_mode: round}'));
    assert.deepEqual(r.errors.map((e) => e.message), ['invalid endpoint_mode "round" (vip or dnsrr)']);
  });

  const restarts: { what: string; lines: string[]; want: RestartPolicy }[] = [
    { what: 'restart: no', lines: ['    restart: "no"'], want: policy({ condition: 'none' }) },
    { what: 'restart: always', lines: ['    restart: always'], want: policy({}) },
    { what: 'restart: unless-stopped', lines: ['    restart: unless-stopped'], want: policy({}) },
    { what: 'restart: on-failure', lines: ['    restart: on-failure'], want: policy({ condition: 'on-failure' }) },
    { what: 'restart: on-failure:5', lines: ['    restart: on-failure:5'], want: policy({ condition: 'on-failure', maxAttempts: 5 }) },
    {
      what: 'a full restart_policy',
      lines: ['    deploy:', '      restart_policy:', '        condition: on-failure', '        delay: 5s', '        max_attempts: 3', '        window: 2m'],
      want: { condition: 'on-failure', delayMs: 5000, maxAttempts: 3, windowMs: 120000 },
    },
    { what: 'a partial restart_policy', lines: ['    deploy: {restart_policy: {condition: none}}'], want: policy({ condition: 'none' }) },
  ];
  for (const c of restarts) {
    test(`${c.what} gives its restart policy`, () => {
      assert.deepEqual(webService(web(...c.lines)).restart, c.want);
    });
  }

  test('deploy.restart_policy wins over restart, written before or after, with a warning', () => {
    for (const lines of [
      ['    restart: always', '    deploy: {restart_policy: {condition: none}}'],
      ['    deploy: {restart_policy: {condition: none}}', '    restart: always'],
    ]) {
      const r = load(web(...lines));
      assert.deepEqual(r.spec?.services['web']?.restart, policy({ condition: 'none' }));
      assert.deepEqual(r.warnings.map((w) => w.path), ['services.web.restart']);
    }
  });

  test('placement constraints are kept in their compact form', () => {
    const s = webService(web('    deploy:', '      placement:', '        constraints:', '          - node.role == manager', '          - node.labels.zone!=eu', '          - "node.hostname==${HOST}"'), { HOST: 'h1' });
    assert.deepEqual(s.constraints, ['node.role==manager', 'node.labels.zone!=eu', 'node.hostname==h1']);
  });

  test('deploy keys not supported yet are warnings', () => {
    const r = load(web('    deploy:', '      update_config: {parallelism: 1}', '      rollback_config: {parallelism: 1}'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings.map((w) => `${w.path}@${w.line}:${w.col}`), ['services.web.deploy.update_config@5:7', 'services.web.deploy.rollback_config@6:7']);
  });

  const errors = [
    { yaml: ['    deploy:', '      replicas: -1'], brief: { path: 'services.web.deploy.replicas', line: 5, col: 17, message: 'invalid replicas "-1" (a non-negative integer)' } },
    { yaml: ['    deploy:', '      replicas: three'], brief: { path: 'services.web.deploy.replicas', line: 5, col: 17, message: 'invalid replicas "three" (a non-negative integer)' } },
    { yaml: ['    deploy:', '      replicas: 1.5'], brief: { path: 'services.web.deploy.replicas', line: 5, col: 17, message: 'invalid replicas "1.5" (a non-negative integer)' } },
    { yaml: ['    deploy:', '      replicas: [1]'], brief: { path: 'services.web.deploy.replicas', line: 5, col: 17, message: 'invalid replicas (a list) (a non-negative integer)' } },
    { yaml: ['    deploy:', '      mode: daemon'], brief: { path: 'services.web.deploy.mode', line: 5, col: 13, message: 'invalid mode "daemon" (replicated or global)' } },
    { yaml: ['    deploy:', '      mode: global', '      replicas: 2'], brief: { path: 'services.web.deploy.replicas', line: 6, col: 7, message: 'not allowed with mode global (one task runs on every eligible node)' } },
    { yaml: ['    deploy: 3'], brief: { path: 'services.web.deploy', line: 4, col: 13, message: 'expected a mapping, got a number' } },
    { yaml: ['    restart: sometimes'], brief: { path: 'services.web.restart', line: 4, col: 14, message: 'invalid restart "sometimes" (no, always, on-failure, on-failure:N or unless-stopped)' } },
    { yaml: ['    restart: on-failure:x'], brief: { path: 'services.web.restart', line: 4, col: 14, message: 'invalid restart "on-failure:x" (no, always, on-failure, on-failure:N or unless-stopped)' } },
    { yaml: ['    deploy:', '      restart_policy: {condition: always}'], brief: { path: 'services.web.deploy.restart_policy.condition', line: 5, col: 35, message: 'invalid condition "always" (any, on-failure or none)' } },
    { yaml: ['    deploy:', '      restart_policy: {delay: soon}'], brief: { path: 'services.web.deploy.restart_policy.delay', line: 5, col: 31, message: 'invalid duration "soon" (like "5s", "1m30s" or "500ms")' } },
    { yaml: ['    deploy:', '      restart_policy: {max_attempts: -2}'], brief: { path: 'services.web.deploy.restart_policy.max_attempts', line: 5, col: 38, message: 'invalid max_attempts "-2" (a non-negative integer, 0 for no bound)' } },
    {
      yaml: ['    deploy:', '      placement:', '        constraints: ["node.zone==eu"]'],
      brief: { path: 'services.web.deploy.placement.constraints[0]', line: 6, col: 23, message: 'invalid constraint "node.zone==eu" (node.id, node.hostname, node.role or node.labels.KEY, then == or !=, then a value)' },
    },
    {
      yaml: ['    deploy:', '      placement:', '        constraints: ["node.hostname=h1"]'],
      brief: { path: 'services.web.deploy.placement.constraints[0]', line: 6, col: 23, message: 'invalid constraint "node.hostname=h1" (node.id, node.hostname, node.role or node.labels.KEY, then == or !=, then a value)' },
    },
    {
      yaml: ['    deploy:', '      placement:', '        constraints: ["node.role==boss"]'],
      brief: { path: 'services.web.deploy.placement.constraints[0]', line: 6, col: 23, message: 'invalid constraint "node.role==boss" (node.role is compared with manager or worker)' },
    },
    {
      yaml: ['    deploy:', '      placement:', '        constraints: node.role==manager'],
      brief: { path: 'services.web.deploy.placement.constraints', line: 6, col: 22, message: 'expected a list of constraints, got a string' },
    },
  ];
  for (const c of errors) {
    test(`${c.yaml.join(' ').trim()} is an error`, () => {
      const r = load(web(...c.yaml));
      assert.equal(r.spec, undefined);
      assert.deepEqual(r.errors.map(brief), [c.brief]);
    });
  }
});
