import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

// Each case runs in a fresh process: both loaders cache per process.
function inChild(code: string): string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: new URL('.', import.meta.url).pathname, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('control.proto alone gives the same Control service as the whole cluster protos, without the Dispatcher', () => {
  const methods = (fn: string): string => `const m = await import('./load.js'); const p = m.${fn}(); console.log(JSON.stringify({ dispatcher: 'Dispatcher' in p, control: Object.entries(p.Control.service).map(([k, v]) => [k, v.path, v.requestStream, v.responseStream]) }));`;
  const alone = JSON.parse(inChild(methods('loadControlProto')));
  const whole = JSON.parse(inChild(methods('loadClusterProto')));
  assert.equal(alone.dispatcher, false);
  assert.equal(whole.dispatcher, true);
  assert.ok(alone.control.some(([name]: [string]) => name === 'DeployStack'));
  assert.deepEqual(alone.control, whole.control);
});

test('after the whole protos are loaded, loadControlProto returns that same package', () => {
  const out = inChild("const m = await import('./load.js'); console.log(m.loadClusterProto() === m.loadControlProto());");
  assert.equal(out, 'true');
});
